package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.EngineOptions;
import io.javalin.testtools.JavalinTest;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The jobs of a batch take the same fields of when and how they run as a submit, and a bad one names its place in the batch. */
@Timeout(60)
class BatchRunOptionsHttpTest {

    private static void withApi(Consumer<TestHttp> body) {
        ApiFixture fx = new ApiFixture(EngineOptions.defaults().withQueues(Map.of("reports", 2)));
        JavalinTest.test(fx.app, (server, client) -> {
            try {
                body.accept(new TestHttp(client.getOrigin()));
            } finally {
                fx.engine.close();
            }
        });
    }

    @Test
    void eachJobOfABatchKeepsItsDelayPriorityQueueTimeoutAndRetry() {
        withApi(http -> {
            Instant before = Instant.now();
            Answer batch = http.post("/api/batches", "{\"jobs\":["
                    + "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1},\"delay\":\"1h\",\"priority\":7},"
                    + "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1},\"queue\":\"reports\",\"timeout\":\"5m\","
                    + "\"retry\":{\"maxAttempts\":3,\"backoff\":\"1s\"}}]}");
            assertThat(batch.status()).as(batch.body()).isEqualTo(202);
            JsonNode jobs = http.get("/api/jobs?parent=" + batch.json().get("id").asText()).json().get("jobs");
            assertThat(jobs).hasSize(2);
            JsonNode delayed = jobs.get(0).has("runAt") ? jobs.get(0) : jobs.get(1);
            JsonNode queued = delayed == jobs.get(0) ? jobs.get(1) : jobs.get(0);
            assertThat(Instant.parse(delayed.get("runAt").asText())).isAfter(before.plusSeconds(3500));
            assertThat(delayed.get("priority").asInt()).isEqualTo(7);
            assertThat(delayed.get("state").asText()).isEqualTo("queued");
            assertThat(queued.get("queue").asText()).isEqualTo("reports");
            assertThat(queued.get("timeout").asText()).isEqualTo("5m");
            assertThat(queued.get("retry").get("maxAttempts").asInt()).isEqualTo(3);
        });
    }

    @Test
    void aBadFieldOfHowAJobRunsIsA422NamingItsPlaceAndNothingIsStored() {
        withApi(http -> {
            String ok = "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1}}";
            Answer priority = http.post("/api/batches", "{\"jobs\":[" + ok + ",{\"type\":\"sleep\",\"priority\":1000}]}");
            assertThat(priority.status()).as(priority.body()).isEqualTo(422);
            assertThat(priority.contentType()).isEqualTo("application/problem+json");
            assertThat(priority.json().get("detail").asText()).startsWith("jobs[1].priority: ");
            Answer queue = http.post("/api/batches", "{\"jobs\":[" + ok + ",{\"type\":\"sleep\",\"queue\":\"nope\"}]}");
            assertThat(queue.status()).as(queue.body()).isEqualTo(422);
            assertThat(queue.json().get("detail").asText()).startsWith("jobs[1].queue: ").contains("reports");
            Answer both = http.post("/api/batches", "{\"jobs\":[{\"type\":\"sleep\",\"delay\":\"1s\",\"runAt\":\"2030-01-01T00:00:00Z\"}]}");
            assertThat(both.status()).as(both.body()).isEqualTo(422);
            assertThat(both.json().get("detail").asText()).startsWith("jobs[0].runAt: ");
            assertThat(http.get("/api/jobs").json().get("jobs")).isEmpty();
        });
    }
}
