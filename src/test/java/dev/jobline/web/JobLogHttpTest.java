package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.TestNode;
import dev.jobline.engine.Quotas;
import dev.jobline.job.TestTypes;
import java.net.URI;
import java.net.http.HttpRequest;
import io.javalin.testtools.JavalinTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GET /api/jobs/{id}/log over real HTTP: reading, long-polling and its bad input. */
@Timeout(60)
class JobLogHttpTest {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final ApiFixture fx = new ApiFixture(TestNode.limits(100, 10).withMaxLogLines(5), TestTypes.logging("talker", lines));

    private void test(java.util.function.Consumer<TestHttp> body) {
        JavalinTest.test(fx.app, (server, client) -> {
            try {
                body.accept(new TestHttp(client.getOrigin()));
            } finally {
                lines.add("END");
                fx.engine.close();
            }
        });
    }

    private static String startTalker(TestHttp http) {
        String id = http.post("/api/jobs", "{\"type\":\"talker\"}").json().get("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("running"));
        return id;
    }

    private static List<String> texts(Answer a) {
        return a.json().get("lines").findValuesAsText("text");
    }

    @Test
    void aLogLongPollIsAnsweredAtTheFirstNewLine() {
        test(http -> {
            String id = startTalker(http);
            CompletableFuture<Answer> held = http.getAsync("/api/jobs/" + id + "/log?after=0&wait=50s");
            lines.add("hello");
            Answer a = held.join();
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.contentType()).startsWith("application/json");
            assertThat(a.json().get("lines").get(0).get("n").asLong()).isEqualTo(1);
            assertThat(a.json().get("lines").get(0).get("stream").asText()).isEqualTo("log");
            assertThat(a.json().get("lines").get(0).get("text").asText()).isEqualTo("hello");
            assertThat(a.json().get("lines").get(0).get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(a.json().get("next").asLong()).isEqualTo(1);
            assertThat(a.json().get("dropped").asLong()).isZero();
            CompletableFuture<Answer> next = http.getAsync("/api/jobs/" + id + "/log?after=1&wait=50s");
            lines.add("world");
            assertThat(texts(next.join())).containsExactly("world");
        });
    }

    @Test
    void aLogLongPollIsAnsweredWithNoLinesWhenItsWaitPasses() {
        test(http -> {
            String id = startTalker(http);
            Answer a = http.get("/api/jobs/" + id + "/log?after=0&wait=200ms");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().get("lines")).isEmpty();
            assertThat(a.json().get("next").asLong()).isZero();
            Answer prefer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.uri("/api/jobs/" + id + "/log?after=0")))
                    .header("Prefer", "wait=1"));
            assertThat(prefer.json().get("lines")).isEmpty();
        });
    }

    @Test
    void aLogLongPollOnAFinishedJobIsAnsweredAtOnceAndOnlyTheNewestLinesAreKept() throws Exception {
        test(http -> {
            String id = startTalker(http);
            for (int i = 1; i <= 12; i++) lines.add("line " + i);
            lines.add("END");
            await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("succeeded"));
            Answer all = http.get("/api/jobs/" + id + "/log");
            assertThat(texts(all)).containsExactly("line 8", "line 9", "line 10", "line 11", "line 12");
            assertThat(all.json().get("next").asLong()).isEqualTo(12);
            assertThat(all.json().get("dropped").asLong()).isEqualTo(7);
            assertThat(texts(http.get("/api/jobs/" + id + "/log?limit=2"))).containsExactly("line 8", "line 9");
            try {
                Answer end = http.getAsync("/api/jobs/" + id + "/log?after=12&wait=50s").get(20, TimeUnit.SECONDS);
                assertThat(end.json().get("lines")).isEmpty();
                assertThat(end.json().get("next").asLong()).isEqualTo(12);
            } catch (Exception e) {
                throw new AssertionError("a log long-poll on a finished job was not answered at once", e);
            }
            assertThat(http.delete("/api/jobs/" + id).status()).isEqualTo(204);
            assertThat(http.get("/api/jobs/" + id + "/log").status()).isEqualTo(404);
        });
    }

    @Test
    void anotherOwnersJobLogIsNotFound() {
        ApiFixture owned = new ApiFixture(Quotas.none(), WebOptions.local().withTokens(Tokens.parse("alice user a-secret\nbob user b-secret\n")),
                TestTypes.logging("talker", lines));
        JavalinTest.test(owned.app, (server, client) -> {
            try {
                TestHttp http = new TestHttp(client.getOrigin());
                Answer submitted = http.send(HttpRequest.newBuilder(URI.create(http.uri("/api/jobs"))).header("Authorization", "Bearer a-secret")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"sleep\",\"params\":{\"seconds\":0}}")));
                String id = submitted.json().get("id").asText();
                HttpRequest.Builder alice = HttpRequest.newBuilder(URI.create(http.uri("/api/jobs/" + id + "/log"))).header("Authorization", "Bearer a-secret");
                HttpRequest.Builder bob = HttpRequest.newBuilder(URI.create(http.uri("/api/jobs/" + id + "/log?after=0&wait=1s")))
                        .header("Authorization", "Bearer b-secret");
                await().atMost(Duration.ofSeconds(20)).until(() -> http.send(alice).json().get("next").asLong() == 2);
                assertThat(http.send(bob).status()).isEqualTo(404);
                assertThat(http.get("/api/jobs/" + id + "/log").status()).isEqualTo(401);
            } finally {
                owned.engine.close();
                fx.engine.close();
            }
        });
    }

    @Test
    void badParametersAre400ProblemsNamingTheParameter() {
        test(http -> {
            String id = startTalker(http);
            for (String[] c : new String[][] {{"after=-1", "after"}, {"after=x", "after"}, {"limit=0", "limit"},
                    {"limit=10001", "limit"}, {"limit=ten", "limit"}, {"after=0&wait=soon", "wait"}}) {
                Answer a = http.get("/api/jobs/" + id + "/log?" + c[0]);
                assertThat(a.status()).as(c[0]).isEqualTo(400);
                assertThat(a.contentType()).as(c[0]).startsWith("application/problem+json");
                assertThat(a.json().get("detail").asText()).as(c[0]).startsWith(c[1] + " must be");
            }
            assertThat(http.get("/api/jobs/missing/log").status()).isEqualTo(404);
            assertThat(http.get("/api/jobs/" + id + "/log?limit=10000").status()).isEqualTo(200);
        });
    }
}
