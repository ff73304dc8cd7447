package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the real jar answers as GET /openapi.json says: each documented status, validated by schema. */
@Timeout(240)
class OpenApiIT {
    @TempDir
    Path dir;

    private OpenApiContract contract;
    private TestHttp http;

    private Answer get(String path) {
        return contract.check("GET", path, http.get(path));
    }

    private Answer post(String path, String body) {
        return contract.check("POST", path, http.post(path, body));
    }

    private Answer keyedBatch(String key, String body) {
        return contract.check("POST", "/api/batches", http.send(HttpRequest.newBuilder(java.net.URI.create(http.uri("/api/batches")))
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    private Answer delete(String path) {
        return contract.check("DELETE", path, http.delete(path));
    }

    private String submit(String params) {
        Answer a = post("/api/jobs", "{\"type\":\"sleep\",\"params\":" + params + "}");
        assertThat(a.status()).isEqualTo(202);
        return a.json().get("id").asText();
    }

    private String state(String id) {
        return get("/api/jobs/" + id).json().get("state").asText();
    }

    @Test
    void everyRouteAndEveryDocumentedAnswerOfTheRealServerMatchesOpenApiJson() throws Exception {
        contract = new OpenApiContract();
        try (JoblineProcess p = JoblineProcess.start(dir, Map.of("JOBLINE_CALLBACK_SECRET", "openapi-secret"), "--port", "0",
                "--store", "memory", "--max-running", "1", "--max-queued", "1", "--max-waiters", "1", "--max-body", "2048", "--grace", "60s",
                "--callback-allow", "http://127.0.0.1:9/hook/")) {
            http = new TestHttp(p.url());
            assertThat(get("/openapi.json").json()).isEqualTo(contract.document());
            assertThat(get("/health").status()).isEqualTo(200);
            assertThat(get("/").status()).isEqualTo(200);
            assertThat(get("/api/types").json().get(0).get("name").asText()).isEqualTo("sleep");
            assertThat(get("/api/nodes").json().get("nodes").get(0).get("running").asInt()).isZero();
            assertThat(get("/api/schedules").json()).as("no --schedules").isEmpty();
            assertThat(get("/metrics").body()).contains("jobline_waiters");

            assertThat(post("/api/jobs", "{not json").status()).isEqualTo(400);
            assertThat(post("/api/jobs", "{\"type\":\"nope\"}").status()).isEqualTo(422);
            assertThat(post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"pad\":\"" + "x".repeat(4096) + "\"}}").status()).isEqualTo(413);

            String a = submit("{\"seconds\":0.3,\"steps\":3}");
            long v = 0;
            String state;
            do {
                Answer polled = get("/api/jobs/" + a + "?after=" + v + "&wait=10s");
                v = polled.json().get("version").asLong();
                state = polled.json().get("state").asText();
            } while (!state.equals("succeeded"));
            assertThat(get("/api/jobs/" + a + "?after=minus-one").status()).isEqualTo(400);
            Answer log = get("/api/jobs/" + a + "/log");
            assertThat(log.json().get("next").asLong()).isPositive();
            assertThat(get("/api/jobs/" + a + "/log?after=" + log.json().get("next").asLong() + "&wait=10s").json().get("lines")).isEmpty();
            assertThat(get("/api/jobs/" + a + "/log?after=x").status()).isEqualTo(400);
            // a stream asked for after the last event of a finished job, or of its log: nothing more comes
            for (String[] s : new String[][] {{"/api/jobs/" + a, Long.toString(v)}, {"/api/jobs/" + a + "/log", Long.toString(log.json().get("next").asLong())}}) {
                Answer ended = contract.check("GET", s[0], http.send(HttpRequest.newBuilder(java.net.URI.create(http.uri(s[0])))
                        .header("Accept", "text/event-stream").header("Last-Event-ID", s[1]).GET()));
                assertThat(ended.status()).as(s[0]).isEqualTo(204);
            }
            assertThat(get("/api/jobs/no-such-job/log").status()).isEqualTo(404);
            assertThat(get("/api/jobs/no-such-job").status()).isEqualTo(404);

            String cursor = get("/api/jobs").json().get("cursor").asText();
            assertThat(get("/api/jobs?state=succeeded,failed&type=sleep&limit=5").json().get("jobs")).hasSize(1);
            assertThat(get("/api/jobs?state=bogus").status()).isEqualTo(400);
            assertThat(delete("/api/jobs/" + a).status()).isEqualTo(204);
            assertThat(get("/api/jobs?after=" + cursor + "&wait=5s").json().get("deleted").get(0).asText()).isEqualTo(a);
            assertThat(delete("/api/jobs/" + a).status()).isEqualTo(404);
            assertThat(post("/api/jobs/" + a + "/cancel", "").status()).isEqualTo(404);
            assertThat(post("/api/jobs/" + a + "/cancel", "x".repeat(4096)).status()).isEqualTo(413);
            assertThat(get("/api/jobs/" + a + "/deliveries").status()).isEqualTo(404);

            Answer batch = post("/api/batches", "{\"jobs\":[{\"type\":\"sleep\",\"params\":{\"seconds\":0}}]}");
            assertThat(batch.status()).as(batch.body()).isEqualTo(202);
            String parent = batch.json().get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> state(parent).equals("succeeded"));
            assertThat(get("/api/jobs?parent=" + parent).json().get("jobs").get(0).get("parent").asText()).isEqualTo(parent);
            Answer keyed = keyedBatch("b-1", "{\"jobs\":[{\"type\":\"sleep\",\"params\":{\"seconds\":0}}]}");
            assertThat(keyed.status()).as(keyed.body()).isEqualTo(202);
            String keyedParent = keyed.json().get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> state(keyedParent).equals("succeeded"));
            assertThat(keyedBatch("b-1", "{\"jobs\": [{\"params\": {\"seconds\": 0}, \"type\": \"sleep\"}]}").json().get("id").asText())
                    .isEqualTo(keyedParent);
            assertThat(keyedBatch("b-1", "{\"jobs\":[{\"type\":\"sleep\"}]}").status()).isEqualTo(422);
            assertThat(post("/api/batches", "{not json").status()).isEqualTo(400);
            assertThat(post("/api/batches", "{\"jobs\":[]}").status()).isEqualTo(422);
            assertThat(post("/api/batches", "{\"jobs\":[{\"type\":\"sleep\",\"params\":{\"pad\":\"" + "x".repeat(4096) + "\"}}]}").status())
                    .isEqualTo(413);
            Answer after = post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0},\"after\":[\"" + parent + "\"]}");
            assertThat(after.status()).as(after.body()).isEqualTo(202);
            assertThat(after.json().get("after").get(0).asText()).isEqualTo(parent);
            String afterId = after.json().get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> state(afterId).equals("succeeded"));
            assertThat(post("/api/jobs", "{\"type\":\"sleep\",\"after\":[\"no-such-job\"]}").status()).isEqualTo(422);

            Answer called = post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0},\"callback\":{\"url\":\"http://127.0.0.1:9/hook/x\"}}");
            assertThat(called.status()).isEqualTo(202);
            String cb = called.json().get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/jobs/" + cb + "/deliveries").json().get(0).get("attempt").asInt() >= 1);
            assertThat(get("/api/jobs/" + cb).json().get("callback").get("url").asText()).isEqualTo("http://127.0.0.1:9/hook/x");

            String running = submit("{\"seconds\":120}");
            await().atMost(Duration.ofSeconds(30)).until(() -> state(running).equals("running"));
            assertThat(delete("/api/jobs/" + running).status()).isEqualTo(409);
            String queued = submit("{\"seconds\":1}");
            Answer full = post("/api/jobs", "{\"type\":\"sleep\"}");
            assertThat(full.status()).isEqualTo(429);
            assertThat(post("/api/batches", "{\"jobs\":[{\"type\":\"sleep\"}]}").status()).isEqualTo(429);

            long rv = get("/api/jobs/" + running).json().get("version").asLong();
            CompletableFuture<TestHttp.Answer> held = http.getAsync("/api/jobs/" + queued + "?after=1&wait=60s");
            // why: once the held poll is registered the one waiter slot is taken; until then a probe waits 1 s and answers 200
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/jobs/" + running + "?after=" + rv + "&wait=1s").status() == 429);
            String now = get("/api/jobs").json().get("cursor").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/jobs?after=" + now + "&wait=1s&type=none").status() == 429);
            long logged = http.get("/api/jobs/" + running + "/log").json().get("next").asLong();
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/jobs/" + running + "/log?after=" + (logged + 1000) + "&wait=1s").status() == 429);
            assertThat(post("/api/jobs/" + queued + "/cancel", "").status()).isEqualTo(202);
            assertThat(contract.check("GET", "/api/jobs/" + queued, held.get()).json().get("state").asText()).isEqualTo("cancelled");
            assertThat(post("/api/jobs/" + queued + "/cancel", "").status()).isEqualTo(409);

            p.process().destroy(); // SIGTERM: drains while the running job has its grace period
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/health").status() == 503);
            assertThat(post("/api/jobs", "{\"type\":\"sleep\"}").status()).isEqualTo(503);
            assertThat(post("/api/batches", "{\"jobs\":[{\"type\":\"sleep\"}]}").status()).isEqualTo(503);
            String drainCursor = http.get("/api/jobs").json().get("cursor").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/jobs?after=" + drainCursor + "&wait=5s&type=none").status() == 503);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                long current = http.get("/api/jobs/" + running).json().get("version").asLong();
                return get("/api/jobs/" + running + "?after=" + current + "&wait=5s").status() == 503;
            });
            assertThat(get("/api/jobs/" + running + "/log?after=1000000&wait=5s").status()).isEqualTo(503);
            p.kill();
        }

        try (JoblineProcess p = JoblineProcess.start(dir, Map.of("JOBLINE_TOKENS", "alice user s3cret-alice"),
                "--port", "0", "--store", "memory")) {
            http = new TestHttp(p.url());
            assertThat(post("/api/jobs", "{\"type\":\"sleep\"}").status()).isEqualTo(401);
            assertThat(get("/api/jobs").status()).isEqualTo(401);
            assertThat(get("/api/jobs/x").status()).isEqualTo(401);
            assertThat(delete("/api/jobs/x").status()).isEqualTo(401);
            assertThat(post("/api/jobs/x/cancel", "").status()).isEqualTo(401);
            assertThat(post("/api/batches", "{\"jobs\":[]}").status()).isEqualTo(401);
            assertThat(get("/api/types").status()).isEqualTo(401);
            assertThat(get("/api/nodes").status()).isEqualTo(401);
            assertThat(get("/api/schedules").status()).isEqualTo(401);
            assertThat(get("/metrics").status()).isEqualTo(401);
            assertThat(contract.check("GET", "/metrics", http.send(HttpRequest.newBuilder(java.net.URI.create(http.uri("/metrics")))
                    .header("Authorization", "Bearer s3cret-alice").GET())).status()).isEqualTo(403);
            assertThat(get("/api/jobs/x/deliveries").status()).isEqualTo(401);
            assertThat(get("/api/jobs/x/log").status()).isEqualTo(401);
            for (String path : new String[] {"/api/uploads", "/api/uploads/x", "/api/uploads/x/content"}) {
                assertThat(get(path).status()).as(path).isEqualTo(401);
            }
            assertThat(post("/api/uploads", "x").status()).isEqualTo(401);
            assertThat(delete("/api/uploads/x").status()).isEqualTo(401);
            Answer notAdmin = contract.check("GET", "/api/nodes", http.send(HttpRequest.newBuilder(java.net.URI.create(http.uri("/api/nodes")))
                    .header("Authorization", "Bearer s3cret-alice").GET()));
            assertThat(notAdmin.status()).isEqualTo(403);
            Answer mine = contract.check("POST", "/api/jobs", http.send(HttpRequest.newBuilder(java.net.URI.create(http.uri("/api/jobs")))
                    .header("Authorization", "Bearer s3cret-alice").header("Idempotency-Key", "k-1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"sleep\",\"params\":{\"seconds\":0}}"))));
            assertThat(mine.status()).isEqualTo(202);
        }
        try (JoblineProcess p = JoblineProcess.start(dir, "--port", "0", "--store", "memory", "--max-running", "1", "--max-upload", "1MiB",
                "--metrics", "off")) {
            http = new TestHttp(p.url());
            assertThat(get("/metrics").status()).isEqualTo(404);
            uploads();
        }
        try (JoblineProcess p = JoblineProcess.start(dir, "--port", "0", "--store", "memory", "--queues", "q=1")) {
            http = new TestHttp(p.url());
            flow();
        }
        // why: the 409 of a key still in flight lasts only while its first request commits; IdempotencyHttpTest and
        // BatchIdempotencyHttpTest cover it in process (and IdempotencyTest with a gated store).
        // A 408 needs a sender that stalls mid-body, which no HTTP client does; EdgeLimitsTest covers it over a raw socket.
        assertThat(contract.unexercised()).containsExactlyInAnyOrder("POST /api/jobs 408", "POST /api/jobs 409", "POST /api/jobs/{id}/cancel 408",
                "POST /api/batches 408", "POST /api/batches 409", "POST /api/uploads 408");
    }

    /** A job showing every field of when and how it runs, errors of an earlier attempt included, and a bad field's 422. */
    private void flow() {
        Answer a = post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0.1,\"failAt\":50},\"delay\":\"500ms\",\"priority\":3,"
                + "\"queue\":\"q\",\"timeout\":\"1m\",\"retry\":{\"maxAttempts\":2,\"backoff\":\"1h\"}}");
        assertThat(a.status()).isEqualTo(202);
        String id = a.json().get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/jobs/" + id).json().has("errors"));
        com.fasterxml.jackson.databind.JsonNode waiting = get("/api/jobs/" + id).json();
        assertThat(waiting.get("state").asText()).isEqualTo("queued");
        assertThat(waiting.get("errors").get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(get("/api/jobs").json().get("jobs")).hasSize(1);
        assertThat(post("/api/jobs", "{\"type\":\"sleep\",\"priority\":500}").status()).isEqualTo(422);
    }

    private void uploads() throws Exception {
        byte[] bytes = {0, 1, 2, 3, (byte) 0xff};
        Answer up = contract.check("POST", "/api/uploads", http.send(HttpRequest.newBuilder(java.net.URI.create(http.uri("/api/uploads?name=a.bin")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))));
        assertThat(up.status()).isEqualTo(201);
        String id = up.json().get("id").asText();
        assertThat(post("/api/uploads", "x".repeat(2 << 20)).status()).isEqualTo(413);
        Answer noFile = contract.check("POST", "/api/uploads", http.send(HttpRequest.newBuilder(java.net.URI.create(http.uri("/api/uploads")))
                .header("Content-Type", "multipart/form-data; boundary=b").POST(HttpRequest.BodyPublishers.ofString("--b--\r\n"))));
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(get("/api/uploads").json().get("uploads")).hasSize(1);
        assertThat(get("/api/uploads?limit=0").status()).isEqualTo(400);
        assertThat(get("/api/uploads/" + id).json().get("sha256").asText()).hasSize(64);
        assertThat(get("/api/uploads/nope").status()).isEqualTo(404);
        Answer content = get("/api/uploads/" + id + "/content");
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.contentType()).isEqualTo("application/octet-stream");
        assertThat(get("/api/uploads/nope/content").status()).isEqualTo(404);

        String blocker = submit("{\"seconds\":60}");
        await().atMost(Duration.ofSeconds(30)).until(() -> state(blocker).equals("running"));
        Answer queued = post("/api/jobs", "{\"type\":\"digest\",\"params\":{\"upload\":\"" + id + "\"}}");
        assertThat(queued.status()).isEqualTo(202);
        assertThat(delete("/api/uploads/" + id).status()).isEqualTo(409);
        assertThat(post("/api/jobs/" + queued.json().get("id").asText() + "/cancel", "").status()).isEqualTo(202);
        assertThat(delete("/api/uploads/" + id).status()).isEqualTo(204);
        assertThat(delete("/api/uploads/" + id).status()).isEqualTo(404);
        Answer multipart = contract.check("POST", "/api/jobs", http.send(new dev.jobline.web.Multipart().text("type", "digest")
                .file("b.bin", null, bytes).post(http.uri("/api/jobs"))));
        assertThat(multipart.status()).isEqualTo(202);
    }
}
