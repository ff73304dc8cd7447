package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.EngineOptions;
import dev.jobline.job.TestTypes;
import io.javalin.testtools.JavalinTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LimitsTest {

    @Test
    void aFullQueueAnswers429WithRetryAfter() {
        CountDownLatch gate = new CountDownLatch(1);
        EngineOptions d = EngineOptions.defaults();
        ApiFixture fx = new ApiFixture(new EngineOptions(1, 1, 1, d.progressFlushInterval(), d.retention(), 3, d.nodeId(), d.lease()),
                TestTypes.gated("gate", gate));
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            try {
                String running = http.post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        http.get("/api/jobs/" + running).json().get("state").asText().equals("running"));
                assertThat(http.post("/api/jobs", "{\"type\":\"gate\"}").status()).isEqualTo(202);
                Answer full = http.post("/api/jobs", "{\"type\":\"gate\"}");
                assertThat(full.status()).isEqualTo(429);
                assertThat(full.header("Retry-After")).isEqualTo("1");
                assertThat(full.contentType()).isEqualTo("application/problem+json");
                assertThat(full.json().get("detail").asText()).contains("queue");

                long v = http.get("/api/jobs/" + running).json().get("version").asLong();
                CompletableFuture<Answer> held = http.getAsync("/api/jobs/" + running + "?after=" + v + "&wait=30s");
                await().atMost(Duration.ofSeconds(10)).until(() -> fx.watch.waiting() == 1);
                Answer tooMany = http.get("/api/jobs/" + running + "?after=" + v + "&wait=30s");
                assertThat(tooMany.status()).isEqualTo(429);
                assertThat(tooMany.header("Retry-After")).isNotNull();
                gate.countDown();
                assertThat(held.join().json().get("state").asText()).isEqualTo("succeeded");
            } finally {
                gate.countDown();
                fx.engine.close();
            }
        });
    }
}
