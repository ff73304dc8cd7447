package dev.jobline.page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.jobline.TestHttp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The upload form of a type with an upload param (digest): a file chosen in the page is sent with its job in one request. */
@Timeout(120)
class PageUploadIT extends OneServerPageTest {
    @Test
    void aFileChosenInTheDigestFormIsUploadedWithItsJobInOneRequestAndItsDigestsShow() throws Exception {
        byte[] bytes = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
        Locator form = page.form("digest");
        assertThat(form.locator("input[type=file][name=upload]")).isVisible();
        form.locator("[name=upload]").setInputFiles(new FilePayload("notes.txt", "text/plain", bytes));
        form.locator("select[name=algorithms]").selectOption(new String[] {"md5", "sha256"});
        Response answer = tab.waitForResponse(r -> r.url().endsWith("/api/jobs") && r.request().method().equals("POST"),
                () -> form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start a digest job")).click());
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.request().headerValue("content-type")).startsWith("multipart/form-data");
        JsonNode job = JobsPage.json(answer.text());
        String id = job.get("id").asText();
        var row = page.row(id);
        assertThat(row).hasAttribute("data-state", "succeeded");
        row.locator(".job-result summary").click();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(row.locator(".job-result pre")).containsText(sha);
        assertThat(row.locator(".job-result pre")).containsText("\"lines\": 2");
        JsonNode upload = new TestHttp(server.url()).get("/api/uploads/" + job.get("params").get("upload").asText()).json();
        assertThat(upload.get("name").asText()).isEqualTo("notes.txt");
        assertThat(upload.get("sha256").asText()).isEqualTo(sha);
    }

    @Test
    void startingWithoutAFileShowsTheServersMessageNextToTheFileField() {
        chromium.errors.allowFailedRequest("/api/jobs", "the server responded with a status of 422 (Unprocessable Entity)");
        Locator form = page.form("digest");
        Response answer = tab.waitForResponse(r -> r.url().endsWith("/api/jobs") && r.request().method().equals("POST"),
                () -> form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start a digest job")).click());
        assertThat(answer.status()).isEqualTo(422);
        assertThat(form.locator("[name=upload]")).hasAttribute("aria-invalid", "true");
        assertThat(form.locator(".field-error").first()).containsText("params.upload is required");
    }
}
