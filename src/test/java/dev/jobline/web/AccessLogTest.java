package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.CapturedLog;
import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.callback.CallbackPolicy;
import dev.jobline.job.TestTypes;
import dev.jobline.json.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The access log: one JSON line per request, with the route as declared and never a token. */
@Timeout(60)
class AccessLogTest {
    private static final String TOKENS = "alice user alice-s3cret-token\nops admin ops-s3cret-token\n";

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> send(String base, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    @Test
    void everyRequestLeavesOneLineWithOwnerRouteStatusTimeAndJobButNoToken() throws Exception {
        CapturedLog log = new CapturedLog("jobline.access");
        CountDownLatch gate = new CountDownLatch(1);
        Node node = TestNode.start(TestTypes.gated("gate", gate));
        Javalin app = HttpApi.create(node.engine(), node.watch(), WebOptions.local().withTokens(Tokens.parse(TOKENS)),
                CallbackPolicy.NONE, new Telemetry(null, null, log));
        app.start();
        try {
            String base = "http://127.0.0.1:" + app.port();
            HttpResponse<String> submitted = send(base, "POST", "/api/jobs", "alice-s3cret-token", "{\"type\":\"gate\"}");
            assertThat(submitted.statusCode()).isEqualTo(202);
            String id = json(submitted.body()).get("id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> node.engine().get(id).orElseThrow().state().wireName().equals("running"));
            long version = node.engine().get(id).orElseThrow().version();
            // why: nothing changes the running gated job (it reports no progress), so the long-poll is held its full second and answered then
            assertThat(send(base, "GET", "/api/jobs/" + id + "?after=" + version + "&wait=1s", "alice-s3cret-token", null).statusCode())
                    .isEqualTo(200);
            assertThat(send(base, "GET", "/api/jobs?token=not-logged-either", null, null).statusCode()).isEqualTo(401);
            assertThat(send(base, "GET", "/api/nodes", "alice-s3cret-token", null).statusCode()).isEqualTo(403);
            assertThat(send(base, "GET", "/api/jobs/no-such-job", "ops-s3cret-token", null).statusCode()).isEqualTo(404);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.lines.size() >= 5);

            List<JsonNode> lines = log.lines.stream().map(AccessLogTest::json).toList();
            assertThat(lines).hasSize(5);
            JsonNode submit = lines.stream().filter(l -> l.path("method").asText().equals("POST")).findFirst().orElseThrow();
            assertThat(submit.get("event").asText()).isEqualTo("request");
            assertThat(submit.get("owner").asText()).isEqualTo("alice");
            assertThat(submit.get("route").asText()).isEqualTo("/api/jobs");
            assertThat(submit.get("status").asInt()).isEqualTo(202);
            assertThat(submit.get("job").asText()).isEqualTo(id);
            assertThat(submit.get("ms").asDouble()).isGreaterThanOrEqualTo(0);
            JsonNode poll = lines.stream().filter(l -> l.path("route").asText().equals("/api/jobs/{id}") && l.path("status").asInt() == 200)
                    .findFirst().orElseThrow();
            assertThat(poll.get("job").asText()).isEqualTo(id);
            assertThat(poll.get("owner").asText()).isEqualTo("alice");
            assertThat(poll.get("ms").asDouble()).as("a held long-poll is logged when answered, with the time it was held")
                    .isGreaterThanOrEqualTo(900);
            JsonNode refused = lines.stream().filter(l -> l.path("status").asInt() == 401).findFirst().orElseThrow();
            assertThat(refused.has("owner")).isFalse();
            assertThat(refused.get("route").asText()).as("refused before routing").isEqualTo("-");
            assertThat(refused.get("path").asText()).isEqualTo("/api/jobs");
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.path("route").asText()).isEqualTo("/api/nodes");
                assertThat(l.path("status").asInt()).isEqualTo(403);
                assertThat(l.path("owner").asText()).isEqualTo("alice");
            });
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.path("owner").asText()).isEqualTo("ops");
                assertThat(l.path("status").asInt()).isEqualTo(404);
                assertThat(l.path("route").asText()).isEqualTo("/api/jobs/{id}");
                assertThat(l.path("job").asText()).isEqualTo("no-such-job");
            });
            assertThat(String.join("\n", log.lines)).doesNotContain("s3cret", "Bearer", "not-logged-either", "?");
        } finally {
            gate.countDown();
            app.stop();
            node.close();
        }
    }

    @Test
    void aJobIdFromThePathIsEscapedAndCutSoItCannotForgeALine() throws Exception {
        CapturedLog log = new CapturedLog("jobline.access");
        Node node = TestNode.start();
        Javalin app = HttpApi.create(node.engine(), node.watch(), WebOptions.local(), CallbackPolicy.NONE, new Telemetry(null, null, log));
        app.start();
        try {
            String forged = "x%22%2C%22owner%22%3A%22root%0A" + "y".repeat(200);
            assertThat(send("http://127.0.0.1:" + app.port(), "GET", "/api/jobs/" + forged, null, null).statusCode()).isEqualTo(404);
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines.isEmpty());
            assertThat(log.lines).hasSize(1);
            JsonNode line = json(log.lines.getFirst());
            assertThat(line.has("owner")).isFalse();
            assertThat(line.get("job").asText()).startsWith("x\",\"owner\":\"root\n").endsWith("...").hasSize(67);
            assertThat(log.lines.getFirst()).doesNotContain("\n");
        } finally {
            app.stop();
            node.close();
        }
    }
}
