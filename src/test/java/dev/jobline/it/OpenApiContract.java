package dev.jobline.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import dev.jobline.TestHttp;
import dev.jobline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks real answers against {@code openapi.json}: the operation (path template and method) must
 * be documented, the status must be one of its responses, the content type one of that
 * response's, the declared headers present, and the body valid against the response's schema
 * (JSON Schema 2020-12 with the OpenAPI 3.1 dialect, by networknt's validator). Remembers what it
 * saw so a test can ask which documented responses were never exercised.
 */
final class OpenApiContract {
    private static final String DOC = "openapi.json";
    private final JsonNode doc;
    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
    private final Set<String> seen = new TreeSet<>();

    OpenApiContract() throws IOException {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/" + DOC)) {
            doc = Json.MAPPER.readTree(in);
        }
    }

    JsonNode document() {
        return doc;
    }

    /** Validates one answer to {@code METHOD path}; throws AssertionError naming what does not match. */
    TestHttp.Answer check(String method, String path, TestHttp.Answer answer) {
        String template = template(path.replaceFirst("\\?.*", ""));
        String m = method.toLowerCase();
        JsonNode op = doc.path("paths").path(template).path(m);
        if (op.isMissingNode()) throw new AssertionError("not documented: " + method + " " + template);
        String status = String.valueOf(answer.status());
        String responsePointer = "/paths/" + escape(template) + "/" + m + "/responses/" + status;
        JsonNode response = doc.at(responsePointer);
        if (response.isMissingNode()) {
            throw new AssertionError(method + " " + template + " answered " + status + ", which is not documented: " + answer.body());
        }
        if (response.has("$ref")) {
            responsePointer = response.get("$ref").asText().substring(1);
            response = doc.at(responsePointer);
        }
        seen.add(method + " " + template + " " + status);
        for (Iterator<String> it = response.path("headers").fieldNames(); it.hasNext(); ) {
            String h = it.next();
            if (answer.header(h) == null) throw new AssertionError(method + " " + template + " " + status + " lacks header " + h);
        }
        JsonNode content = response.path("content");
        if (content.isEmpty()) {
            if (!answer.body().isEmpty()) throw new AssertionError(method + " " + template + " " + status + " should have no body");
            return answer;
        }
        String type = answer.contentType() == null ? "" : answer.contentType().replaceFirst(";.*", "").trim();
        if (!content.has(type)) throw new AssertionError(method + " " + template + " " + status + " answered " + type + ", documented " + content);
        if (!type.endsWith("json")) return answer;
        JsonSchema schema = schemas.getSchema(SchemaLocation.of("classpath:" + DOC + "#" + responsePointer + "/content/" + escape(type) + "/schema"));
        Set<ValidationMessage> errors = schema.validate(answer.json());
        if (!errors.isEmpty()) throw new AssertionError(method + " " + path + " " + status + " does not match openapi.json: " + errors + "\n" + answer.body());
        return answer;
    }

    /** Every documented {@code METHOD /template STATUS} no checked answer had. */
    List<String> unexercised() {
        List<String> out = new ArrayList<>();
        doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
            if (op.getKey().equals("parameters")) return;
            op.getValue().path("responses").fieldNames().forEachRemaining(s -> {
                String key = op.getKey().toUpperCase() + " " + p.getKey() + " " + s;
                if (!seen.contains(key)) out.add(key);
            });
        }));
        return out;
    }

    private String template(String path) {
        for (Iterator<String> it = doc.path("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            Pattern p = Pattern.compile(Pattern.quote(t).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q"));
            if (p.matcher(path).matches()) return t;
        }
        throw new AssertionError("no documented path matches " + path);
    }

    private static String escape(String pointerPart) {
        return pointerPart.replace("~", "~0").replace("/", "~1");
    }
}
