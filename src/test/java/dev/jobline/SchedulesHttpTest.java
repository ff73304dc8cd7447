package dev.jobline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/schedules} on a real server: each schedule with its next run, and its last once it ran. */
@Timeout(60)
class SchedulesHttpTest {
    @TempDir
    Path dir;

    private Path schedules() throws Exception {
        Path file = dir.resolve("schedules.json");
        Files.writeString(file, """
                {"schedules": [
                  {"name": "nightly", "cron": "0 3 * * *", "timezone": "Europe/Berlin", "type": "sleep", "params": {"seconds": 1}},
                  {"name": "tick", "cron": "@every 1s", "type": "sleep", "params": {"seconds": 0}, "overlap": "allow"}]}
                """);
        return file;
    }

    @Test
    void theSchedulesAreListedWithTheirNextRunAndTheLastJobOnceOneRan() throws Exception {
        Config config = Config.parse(new String[] {"--port", "0", "--store", "memory", "--schedules", schedules().toString()}, Map.of());
        try (Jobline jobline = Jobline.start(config)) {
            TestHttp http = new TestHttp(jobline.url());
            TestHttp.Answer first = http.get("/api/schedules");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.contentType()).startsWith("application/json");
            JsonNode nightly = first.json().get(0);
            assertThat(nightly.get("name").asText()).isEqualTo("nightly");
            assertThat(nightly.get("cron").asText()).isEqualTo("0 3 * * *");
            assertThat(nightly.get("timezone").asText()).isEqualTo("Europe/Berlin");
            assertThat(nightly.get("type").asText()).isEqualTo("sleep");
            assertThat(nightly.get("params").get("seconds").asInt()).isEqualTo(1);
            Instant next = Instant.parse(nightly.get("nextRunAt").asText());
            assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(25)));
            assertThat(nightly.get("lastRunAt").isNull()).isTrue();
            assertThat(nightly.get("lastJob").isNull()).isTrue();
            assertThat(first.json().get(1).get("timezone").asText()).as("UTC unless given").isEqualTo("UTC");

            JsonNode tick = await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/schedules").json().get(1),
                    t -> !t.get("lastJob").isNull());
            JsonNode job = http.get("/api/jobs/" + tick.get("lastJob").asText()).json();
            assertThat(job.get("type").asText()).isEqualTo("sleep");
            assertThat(job.get("createdAt").asText()).isEqualTo(tick.get("lastRunAt").asText());
        }
    }

    @Test
    void anyTokenReadsTheSchedulesAsItReadsTheTypes() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "alice user alice-secret\nroot admin root-secret\n");
        Config config = Config.parse(new String[] {"--port", "0", "--store", "memory", "--schedules", schedules().toString(),
                "--tokens", tokens.toString()}, Map.of());
        try (Jobline jobline = Jobline.start(config)) {
            TestHttp http = new TestHttp(jobline.url());
            assertThat(http.get("/api/schedules").status()).isEqualTo(401);
            TestHttp.Answer alice = http.send(HttpRequest.newBuilder(URI.create(jobline.url() + "/api/schedules"))
                    .header("Authorization", "Bearer alice-secret").GET());
            assertThat(alice.status()).isEqualTo(200);
            assertThat(alice.json()).hasSize(2);
        }
    }

    @Test
    void withoutASchedulesFileTheListIsEmpty() {
        try (Jobline jobline = Jobline.start(Config.parse(new String[] {"--port", "0", "--store", "memory"}, Map.of()))) {
            assertThat(new TestHttp(jobline.url()).get("/api/schedules").body()).isEqualTo("[]");
        }
    }
}
