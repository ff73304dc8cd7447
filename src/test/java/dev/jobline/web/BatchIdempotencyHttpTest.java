package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /api/batches} with an Idempotency-Key over real HTTP: the rules of single submits, for the batch's parent. */
@Timeout(60)
class BatchIdempotencyHttpTest {
    private static final String BATCH = "{\"jobs\":[{\"type\":\"sleep\",\"params\":{\"seconds\":30,\"steps\":3}},{\"type\":\"sleep\"}]}";

    private static Answer batch(TestHttp http, String key, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(http.uri("/api/batches"))).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) r.header("Idempotency-Key", key);
        return http.send(r);
    }

    private static int batchesStored(TestHttp http) {
        int n = 0;
        for (var j : http.get("/api/jobs?type=batch&limit=100").json().get("jobs")) n += "batch".equals(j.get("type").asText()) ? 1 : 0;
        return n;
    }

    private static void withApi(java.util.function.Consumer<TestHttp> body) {
        ApiFixture fx = new ApiFixture();
        JavalinTest.test(fx.app, (server, client) -> {
            try {
                body.accept(new TestHttp(client.getOrigin()));
            } finally {
                fx.engine.close();
            }
        });
    }

    @Test
    void theSameKeyAndBodyAnswerTheSameParentAndStoreNoSecondBatch() {
        withApi(http -> {
            Answer first = batch(http, "nightly-7", BATCH);
            assertThat(first.status()).as(first.body()).isEqualTo(202);
            String id = first.json().get("id").asText();

            // the same JSON with other spacing, key order and 3 as 3.0
            Answer same = batch(http, "nightly-7", "{ \"jobs\": [ {\"params\": {\"steps\": 3.0, \"seconds\": 30}, \"type\": \"sleep\"},"
                    + " {\"type\": \"sleep\"} ] }");
            assertThat(same.status()).as(same.body()).isEqualTo(202);
            assertThat(same.json().get("id").asText()).isEqualTo(id);
            assertThat(same.json().get("type").asText()).isEqualTo("batch");
            assertThat(same.header("Location")).isEqualTo("/api/jobs/" + id);
            assertThat(http.get("/api/jobs?parent=" + id).json().get("jobs")).hasSize(2);
            assertThat(batchesStored(http)).isEqualTo(1);

            // the parent as it is now, not as it was first answered
            assertThat(http.post("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(202);
            Answer later = batch(http, "nightly-7", BATCH);
            assertThat(later.status()).isEqualTo(202);
            assertThat(later.json().get("state").asText()).isEqualTo("cancelled");

            Answer other = batch(http, "nightly-7", "{\"jobs\":[{\"type\":\"sleep\"}]}");
            assertThat(other.status()).as(other.body()).isEqualTo(422);
            assertThat(other.contentType()).isEqualTo("application/problem+json");
            assertThat(other.json().get("detail").asText()).contains("different request body");
            assertThat(batchesStored(http)).isEqualTo(1);

            // the key a submit used is taken for a batch too (one key space per owner)
            assertThat(http.send(HttpRequest.newBuilder(URI.create(http.uri("/api/jobs"))).header("Idempotency-Key", "shared")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"sleep\"}"))).status()).isEqualTo(202);
            assertThat(batch(http, "shared", BATCH).status()).isEqualTo(422);

            Answer tooLong = batch(http, "x".repeat(256), BATCH);
            assertThat(tooLong.status()).isEqualTo(400);
            assertThat(tooLong.json().get("detail").asText()).contains("Idempotency-Key");
            assertThat(batch(http, null, BATCH).status()).isEqualTo(202);
            assertThat(batch(http, null, BATCH).status()).isEqualTo(202);
            assertThat(batchesStored(http)).isEqualTo(3);
        });
    }

    @Test
    void concurrentRequestsWithOneKeyAnswerTheSameParentOr409AndStoreOneBatch() {
        withApi(http -> {
            StringBuilder jobs = new StringBuilder("{\"jobs\":[");
            for (int i = 0; i < 1000; i++) jobs.append(i == 0 ? "" : ",").append("{\"type\":\"sleep\",\"params\":{\"seconds\":30}}");
            String body = jobs.append("]}").toString();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 8; i++) {
                    answers.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            if (!go.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never started");
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return batch(http, "race", body);
                    }, pool));
                }
                go.countDown();
            }
            List<String> parents = new ArrayList<>();
            for (CompletableFuture<Answer> f : answers) {
                Answer a = f.join();
                assertThat(a.status()).as(a.body()).isIn(202, 409);
                if (a.status() == 409) assertThat(a.contentType()).isEqualTo("application/problem+json");
                else parents.add(a.json().get("id").asText());
            }
            assertThat(parents).isNotEmpty();
            assertThat(parents).containsOnly(parents.getFirst());
            Answer retried = batch(http, "race", body);
            assertThat(retried.json().get("id").asText()).isEqualTo(parents.getFirst());
            assertThat(batchesStored(http)).isEqualTo(1);
        });
    }
}
