package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** openapi.json is a well-formed OpenAPI 3.1 document; OpenApiIT checks that the server answers as it says. */
class OpenApiDocumentTest {
    @Test
    void theDocumentParsesAsOpenApi31WithoutMessagesAndResolvesEveryRef() throws Exception {
        String text;
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(OpenApiRoute.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
        assertThat(result.getMessages()).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getOpenapi()).startsWith("3.1.");
        assertThat(api.getPaths()).containsOnlyKeys("/api/jobs", "/api/jobs/{id}", "/api/jobs/{id}/cancel", "/api/jobs/{id}/log", "/api/types",
                "/api/nodes", "/api/schedules", "/api/jobs/{id}/deliveries", "/health", "/metrics", "/openapi.json", "/",
                "/api/uploads", "/api/uploads/{id}", "/api/uploads/{id}/content", "/api/batches");
        assertThat(api.getComponents().getSchemas()).containsKeys("Job", "Progress", "Listing", "JobType", "Problem", "Callback", "Delivery",
                "LogPage", "LogLine", "Upload", "Uploads", "Schedule", "BatchSubmit");
    }
}
