package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.EngineOptions;
import dev.jobline.job.TestTypes;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpApiTest {
    private final CountDownLatch gate = new CountDownLatch(1);
    private final ApiFixture fx = new ApiFixture(TestTypes.gated("gate", gate));

    private void test(java.util.function.Consumer<TestHttp> body) {
        JavalinTest.test(fx.app, (server, client) -> {
            try {
                body.accept(new TestHttp(client.getOrigin()));
            } finally {
                gate.countDown();
                fx.engine.close();
            }
        });
    }

    private static Answer awaitState(TestHttp http, String id, String state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals(state));
        return http.get("/api/jobs/" + id);
    }

    @Test
    void submitAnswers202WithLocationAndTheQueuedJob() {
        test(http -> {
            Answer a = http.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0.1}}");
            assertThat(a.status()).isEqualTo(202);
            assertThat(a.contentType()).startsWith("application/json");
            String id = a.json().get("id").asText();
            assertThat(a.header("Location")).isEqualTo("/api/jobs/" + id);
            assertThat(a.json().get("version").asLong()).isEqualTo(1);
            assertThat(a.json().get("params").get("steps").asInt()).isEqualTo(100);
            assertThat(a.json().get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            for (String field : List.of("id", "type", "state", "version", "progress", "params", "result", "error",
                    "attempt", "createdAt", "startedAt", "finishedAt", "updatedAt")) {
                assertThat(a.json().has(field)).as(field).isTrue();
            }
            Answer done = awaitState(http, id, "succeeded");
            assertThat(done.json().get("result").get("slept").asDouble()).isEqualTo(0.1);
            assertThat(done.json().get("progress").get("percent").asDouble()).isEqualTo(100.0);
        });
    }

    @Test
    void paramsMayBeOmitted() {
        test(http -> {
            Answer a = http.post("/api/jobs", "{\"type\":\"sleep\"}");
            assertThat(a.status()).isEqualTo(202);
            assertThat(a.json().get("params").get("seconds").asDouble()).isEqualTo(5);
        });
    }

    @Test
    void aLongPollIsAnsweredAtTheChange() throws Exception {
        test(http -> {
            String id = http.post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
            long v = awaitState(http, id, "running").json().get("version").asLong();
            CompletableFuture<Answer> poll = http.getAsync("/api/jobs/" + id + "?after=" + v + "&wait=30s");
            await().atMost(Duration.ofSeconds(20)).until(() -> fx.watch.waiting() == 1);
            assertThat(poll).as("held while nothing changes").isNotDone();
            gate.countDown();
            Answer a = poll.join();
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().get("version").asLong()).isGreaterThan(v);
            assertThat(a.json().get("state").asText()).isEqualTo("succeeded");
        });
    }

    @Test
    void aLongPollIsAnsweredWithTheSameVersionWhenTheWaitPasses() {
        test(http -> {
            String id = http.post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
            long v = awaitState(http, id, "running").json().get("version").asLong();
            Answer a = http.get("/api/jobs/" + id + "?after=" + v + "&wait=300ms");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().get("version").asLong()).isEqualTo(v);
            assertThat(a.json().get("state").asText()).isEqualTo("running");
        });
    }

    @Test
    void preferWaitIsAcceptedInPlaceOfTheWaitParameter() {
        test(http -> {
            String id = http.post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
            long v = awaitState(http, id, "running").json().get("version").asLong();
            Answer a = http.send(HttpRequest.newBuilder(URI.create(http.uri("/api/jobs/" + id + "?after=" + v)))
                    .header("Prefer", "wait=1").GET());
            assertThat(a.json().get("version").asLong()).isEqualTo(v);
        });
    }

    @Test
    void aLongPollOnATerminalJobIsAnsweredAtOnce() {
        test(http -> {
            String id = http.submitSleep("{\"seconds\":0}");
            awaitState(http, id, "succeeded");
            Answer a = http.get("/api/jobs/" + id + "?after=999999&wait=2m");
            assertThat(a.json().get("state").asText()).isEqualTo("succeeded");
        });
    }

    @Test
    void followingAJobWithTheContractLoopSeesEveryStateToTheEnd() {
        test(http -> {
            String id = http.submitSleep("{\"seconds\":0.3,\"steps\":5}");
            long v = 0;
            List<String> states = new ArrayList<>();
            JsonNode job;
            do {
                job = http.get("/api/jobs/" + id + "?after=" + v + "&wait=30s").json();
                assertThat(job.get("version").asLong()).isGreaterThan(v);
                v = job.get("version").asLong();
                states.add(job.get("state").asText());
            } while (!Set.of("succeeded", "failed", "cancelled").contains(job.get("state").asText()));
            assertThat(states).last().isEqualTo("succeeded");
            assertThat(states).contains("running");
        });
    }

    @Test
    void cancellingARunningJobWakesItsWaiter() {
        test(http -> {
            String id = http.post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
            long v = awaitState(http, id, "running").json().get("version").asLong();
            CompletableFuture<Answer> poll = http.getAsync("/api/jobs/" + id + "?after=" + v + "&wait=60s");
            Answer c = http.post("/api/jobs/" + id + "/cancel", "");
            assertThat(c.status()).isEqualTo(202);
            JsonNode woken = poll.join().json();
            assertThat(woken.get("version").asLong()).isGreaterThan(v);
            while (!woken.get("state").asText().equals("cancelled")) { // the accepted cancel is a change of its own
                woken = http.get("/api/jobs/" + id + "?after=" + woken.get("version").asLong() + "&wait=30s").json();
            }
            assertThat(woken.get("error").get("type").asText()).isEqualTo("cancelled");
            assertThat(http.post("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(409);
        });
    }

    @Test
    void deleteIsRefusedWhileActiveAndRemovesFinishedJobs() {
        test(http -> {
            String id = http.post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
            Answer conflict = http.delete("/api/jobs/" + id);
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.contentType()).isEqualTo("application/problem+json");
            gate.countDown();
            awaitState(http, id, "succeeded");
            assertThat(http.delete("/api/jobs/" + id).status()).isEqualTo(204);
            assertThat(http.get("/api/jobs/" + id).status()).isEqualTo(404);
            assertThat(http.delete("/api/jobs/" + id).status()).isEqualTo(404);
        });
    }

    @Test
    void theCollectionWatchFollowsSeveralJobsWithOneRequestAtATime() {
        test(http -> {
            Answer start = http.get("/api/jobs");
            assertThat(start.json().get("reset").asBoolean()).isFalse();
            String cursor = start.json().get("cursor").asText();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 3; i++) ids.add(http.submitSleep("{\"seconds\":0.2,\"steps\":4}"));
            Set<String> finished = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!finished.containsAll(ids) && System.nanoTime() < deadline) {
                Answer a = http.get("/api/jobs?after=" + cursor + "&wait=10s");
                assertThat(a.status()).isEqualTo(200);
                cursor = a.json().get("cursor").asText();
                for (JsonNode j : a.json().get("jobs")) {
                    if (j.get("state").asText().equals("succeeded")) finished.add(j.get("id").asText());
                }
            }
            assertThat(finished).containsAll(ids);
        });
    }

    @Test
    void theCollectionListsNewestFirstWithFilters() {
        test(http -> {
            String a = http.submitSleep("{\"seconds\":0}");
            awaitState(http, a, "succeeded");
            String b = http.post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
            JsonNode all = http.get("/api/jobs").json();
            assertThat(all.get("jobs").get(0).get("id").asText()).isEqualTo(b);
            assertThat(all.get("deleted").isArray()).isTrue();
            JsonNode done = http.get("/api/jobs?state=succeeded,failed").json();
            assertThat(done.get("jobs")).hasSize(1);
            assertThat(done.get("jobs").get(0).get("id").asText()).isEqualTo(a);
            assertThat(http.get("/api/jobs?state=queued&state=running").json().get("jobs").get(0).get("id").asText()).isEqualTo(b);
            assertThat(http.get("/api/jobs?type=gate").json().get("jobs")).hasSize(1);
            assertThat(http.get("/api/jobs?limit=1").json().get("jobs")).hasSize(1);
        });
    }

    @Test
    void anUnknownCursorGetsAFullListingWithReset() {
        test(http -> {
            http.submitSleep("{\"seconds\":0}");
            JsonNode l = http.get("/api/jobs?after=0ld5erver-42&wait=1").json();
            assertThat(l.get("reset").asBoolean()).isTrue();
            assertThat(l.get("jobs")).hasSize(1);
        });
    }

    @Test
    void typesListsEachTypeWithItsParamsSchema() {
        test(http -> {
            JsonNode types = http.get("/api/types").json();
            JsonNode sleep = null;
            for (JsonNode t : types) if (t.get("name").asText().equals("sleep")) sleep = t;
            assertThat(sleep).isNotNull();
            assertThat(sleep.get("description").asText()).isNotBlank();
            assertThat(sleep.get("params").get("properties").get("seconds").get("maximum").asInt()).isEqualTo(86400);
        });
    }

    @Test
    void healthIsOkAndThePageIsServed() {
        test(http -> {
            Answer h = http.get("/health");
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.json().get("status").asText()).isEqualTo("ok");
            Answer page = http.get("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.body()).contains("Jobline");
        });
    }

    @Test
    void drainingAnswers503WithRetryAfterToSubmitsAndHealth() {
        test(http -> {
            Thread.ofVirtual().start(() -> fx.node.drain(Duration.ofSeconds(5)));
            await().atMost(Duration.ofSeconds(5)).until(fx.engine::isDraining);
            Answer h = http.get("/health");
            assertThat(h.status()).isEqualTo(503);
            assertThat(h.header("Retry-After")).isNotNull();
            Answer s = http.post("/api/jobs", "{\"type\":\"sleep\"}");
            assertThat(s.status()).isEqualTo(503);
            Answer watch = http.get("/api/jobs?after=" + http.get("/api/jobs").json().get("cursor").asText() + "&wait=30s");
            assertThat(watch.status()).isEqualTo(503);
            assertThat(watch.header("Retry-After")).isNotNull();
            assertThat(s.header("Retry-After")).isNotNull();
            assertThat(s.contentType()).isEqualTo("application/problem+json");
        });
    }
}
