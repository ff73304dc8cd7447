package dev.jobline.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.Config;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import dev.jobline.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Callbacks through the real server (memory store, port 0) to a receiver on loopback. */
@Timeout(60)
class CallbackHttpTest {
    private static final String SECRET = "test-secret-0123456789";

    private Receiver receiver;
    private Jobline server;
    private TestHttp http;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
        server = Jobline.start(Config.parse(new String[] {"--port", "0", "--store", "memory",
                "--callback-allow", receiver.url("/hook/") + "," + receiver.url("/moved")},
                Map.of("JOBLINE_CALLBACK_SECRET", SECRET)));
        http = new TestHttp(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
        receiver.close();
    }

    private String submit(String url, String params) {
        TestHttp.Answer a = http.post("/api/jobs", "{\"type\":\"sleep\",\"params\":" + params + ",\"callback\":{\"url\":\"" + url + "\"}}");
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        return a.json().get("id").asText();
    }

    private JsonNode deliveries(String id, int entries) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/jobs/" + id + "/deliveries").json(),
                d -> d.size() == entries && !d.get(entries - 1).get("state").asText().equals("pending"));
    }

    @Test
    void aJobThatEndsIsPostedToItsCallbackSignedWithTheSecret() throws Exception {
        String id = submit(receiver.url("/hook/done"), "{\"seconds\":0}");
        Receiver.Request r = receiver.next(20);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Jobline-Event")).isEqualTo("job.succeeded");
        assertThat(r.header("Jobline-Delivery")).isNotBlank();
        String sig = r.header("Jobline-Signature");
        assertThat(sig).matches("t=[0-9]+,v1=[0-9a-f]{64}");
        assertThat(Receiver.signatureValid(sig, r.body(), SECRET)).isTrue();
        assertThat(Receiver.signatureValid(sig, r.body(), "another-secret")).isFalse();
        long t = Long.parseLong(sig.substring(2, sig.indexOf(',')));
        assertThat(Math.abs(t - Instant.now().getEpochSecond())).isLessThan(60);
        JsonNode job = Json.MAPPER.readTree(r.body());
        assertThat(job.get("id").asText()).isEqualTo(id);
        assertThat(job.get("state").asText()).isEqualTo("succeeded");
        assertThat(job.get("callback")).isEqualTo(Json.MAPPER.readTree("{\"url\":\"" + receiver.url("/hook/done") + "\"}"));
        assertThat(r.text()).doesNotContain(SECRET);
        JsonNode history = deliveries(id, 1);
        assertThat(history.get(0).get("delivery").asText()).isEqualTo(r.header("Jobline-Delivery"));
        assertThat(history.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(history.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(history.get(0).get("error").isNull()).isTrue();
        assertThat(history.get(0).get("state").asText()).isEqualTo("delivered");
        assertThat(history.get(0).get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(http.get("/api/jobs/" + id).body()).doesNotContain(SECRET);
    }

    @Test
    void anAttemptAnswered500IsRetriedUnderTheSameDeliveryId() throws Exception {
        receiver.answer(500, 200);
        String id = submit(receiver.url("/hook/retry"), "{\"seconds\":0,\"failAt\":0}");
        Receiver.Request first = receiver.next(20);
        Receiver.Request second = receiver.next(20);
        assertThat(first.header("Jobline-Event")).isEqualTo("job.failed");
        assertThat(second.header("Jobline-Delivery")).isEqualTo(first.header("Jobline-Delivery"));
        assertThat(Receiver.signatureValid(second.header("Jobline-Signature"), second.body(), SECRET)).isTrue();
        JsonNode history = deliveries(id, 2);
        assertThat(history.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(history.get(0).get("status").asInt()).isEqualTo(500);
        assertThat(history.get(0).get("error").asText()).contains("500");
        assertThat(history.get(0).get("state").asText()).isEqualTo("pending");
        assertThat(history.get(1).get("attempt").asInt()).isEqualTo(2);
        assertThat(history.get(1).get("status").asInt()).isEqualTo(200);
        assertThat(history.get(1).get("state").asText()).isEqualTo("delivered");
        assertThat(history.get(1).get("delivery").asText()).isEqualTo(first.header("Jobline-Delivery"));
    }

    @Test
    void aRedirectIsNotFollowed() {
        String id = submit(receiver.url("/moved"), "{\"seconds\":0}");
        JsonNode history = await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/jobs/" + id + "/deliveries").json(),
                d -> d.get(0).get("attempt").asInt() >= 1);
        assertThat(history.get(0).get("status").asInt()).isEqualTo(302);
        assertThat(history.get(0).get("error").asText()).contains("redirects are not followed");
        assertThat(history.get(0).get("state").asText()).isEqualTo("pending");
        assertThat(receiver.targetHits()).isZero();
    }

    @Test
    void aCallbackOutsideTheAllowListOrMalformedIsRefusedNamingTheField() {
        String port = String.valueOf(receiver.port());
        for (String url : new String[] {"http://127.0.0.1:" + port + "/other", "http://127.0.0.1.evil.example:" + port + "/hook/",
                "http://127.0.0.1:1/hook/", "https://127.0.0.1:" + port + "/hook/", "ftp://127.0.0.1:" + port + "/hook/",
                "http://127.0.0.1:" + port + "/hook/../admin", "http://127.0.0.1:" + port + "/hook/%2e%2e/admin",
                "http://x@127.0.0.1:" + port + "/hook/", "not a url", "/hook/"}) {
            TestHttp.Answer a = http.post("/api/jobs", "{\"type\":\"sleep\",\"callback\":{\"url\":\"" + url + "\"}}");
            assertThat(a.status()).as(url).isEqualTo(422);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.json().get("detail").asText()).as(url).contains("callback.url");
        }
        for (String[] bad : new String[][] {{"{\"url\":5}", "callback.url"}, {"\"http://x/\"", "callback"},
                {"{\"url\":\"" + receiver.url("/hook/") + "\",\"secret\":\"x\"}", "callback.secret"}, {"{}", "callback.url"}}) {
            TestHttp.Answer a = http.post("/api/jobs", "{\"type\":\"sleep\",\"callback\":" + bad[0] + "}");
            assertThat(a.status()).as(bad[0]).isEqualTo(400);
            assertThat(a.json().get("detail").asText()).as(bad[0]).contains(bad[1]);
        }
        assertThat(http.get("/api/jobs").json().get("jobs")).isEmpty();
        assertThat(receiver.pending()).isZero();
    }

    @Test
    void aJobWithoutACallbackShowsNoneAndHasNoDeliveries() {
        String id = http.submitSleep("{\"seconds\":0}");
        assertThat(http.get("/api/jobs/" + id).json().has("callback")).isFalse();
        assertThat(http.get("/api/jobs/" + id + "/deliveries").json()).isEmpty();
        assertThat(http.get("/api/jobs/nope/deliveries").status()).isEqualTo(404);
    }

    @Test
    void theCallbackIsPartOfTheIdempotentRequest() {
        String body = "{\"type\":\"sleep\",\"params\":{\"seconds\":0},\"callback\":{\"url\":\"" + receiver.url("/hook/k") + "\"}}";
        TestHttp.Answer first = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.uri("/api/jobs")))
                .header("Idempotency-Key", "cb-1").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        TestHttp.Answer again = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.uri("/api/jobs")))
                .header("Idempotency-Key", "cb-1").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        TestHttp.Answer other = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.uri("/api/jobs")))
                .header("Idempotency-Key", "cb-1").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.replace("/hook/k", "/hook/j"))));
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(other.status()).isEqualTo(422);
    }

    @Test
    void anotherOwnersDeliveriesAnswer404() throws Exception {
        try (Jobline withTokens = Jobline.start(Config.parse(new String[] {"--port", "0", "--store", "memory",
                "--callback-allow", receiver.url("/hook/")},
                Map.of("JOBLINE_CALLBACK_SECRET", SECRET, "JOBLINE_TOKENS", "alice user tok-alice\nbob user tok-bob")))) {
            TestHttp h = new TestHttp(withTokens.url());
            TestHttp.Answer a = h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.uri("/api/jobs")))
                    .header("Authorization", "Bearer tok-alice").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"type\":\"sleep\",\"params\":{\"seconds\":0},\"callback\":{\"url\":\"" + receiver.url("/hook/o") + "\"}}")));
            String id = a.json().get("id").asText();
            receiver.next(20);
            java.util.function.Function<String, TestHttp.Answer> as = token -> h.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(h.uri("/api/jobs/" + id + "/deliveries"))).header("Authorization", "Bearer " + token).GET());
            assertThat(as.apply("tok-alice").status()).isEqualTo(200);
            assertThat(as.apply("tok-alice").json()).hasSize(1);
            TestHttp.Answer bob = as.apply("tok-bob");
            assertThat(bob.status()).isEqualTo(404);
            assertThat(bob.body()).doesNotContain("hook");
        }
    }
}
