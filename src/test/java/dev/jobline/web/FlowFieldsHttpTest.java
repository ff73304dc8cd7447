package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.EngineOptions;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The submit fields of when and how a job runs, over real HTTP: echoed when set, and every bad value a 422 naming its field. */
@Timeout(60)
class FlowFieldsHttpTest {

    private static Answer submit(TestHttp http, String body) {
        return http.send(HttpRequest.newBuilder(URI.create(http.uri("/api/jobs"))).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void eachFieldIsEchoedOnlyWhenSet() {
        ApiFixture fx = new ApiFixture(EngineOptions.defaults().withQueues(Map.of("emails", 2)));
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            try {
                Answer a = submit(http, "{\"type\": \"sleep\", \"runAt\": \"2099-01-01T10:00:00+02:00\", \"priority\": 7, \"queue\": \"emails\","
                        + " \"timeout\": \"5m\", \"retry\": {\"maxAttempts\": 4, \"backoff\": \"2s\"}}");
                assertThat(a.status()).isEqualTo(202);
                JsonNode j = a.json();
                assertThat(j.get("runAt").asText()).isEqualTo("2099-01-01T08:00:00.000Z");
                assertThat(j.get("priority").asInt()).isEqualTo(7);
                assertThat(j.get("queue").asText()).isEqualTo("emails");
                assertThat(j.get("timeout").asText()).isEqualTo("5m");
                assertThat(j.get("retry").toString()).isEqualTo("{\"maxAttempts\":4,\"backoff\":\"2s\",\"maxBackoff\":\"10m\"}");
                assertThat(j.get("state").asText()).isEqualTo("queued");

                Instant before = Instant.now();
                JsonNode d = submit(http, "{\"type\": \"sleep\", \"delay\": \"90s\"}").json();
                assertThat(Instant.parse(d.get("runAt").asText())).isBetween(before.plusSeconds(89), Instant.now().plusSeconds(91));

                JsonNode plain = submit(http, "{\"type\": \"sleep\", \"params\": {\"seconds\": 0}}").json();
                for (String field : new String[] {"runAt", "priority", "queue", "timeout", "retry", "errors", "checkpoint"}) {
                    assertThat(plain.has(field)).as(field).isFalse();
                }
            } finally {
                fx.engine.close();
            }
        });
    }

    @Test
    void everyBadValueIsA422NamingItsField() {
        ApiFixture fx = new ApiFixture(EngineOptions.defaults().withQueues(Map.of("emails", 2)));
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            try {
                Map<String, String> bad = new java.util.LinkedHashMap<>();
                bad.put("\"runAt\": \"tomorrow\"", "runAt");
                bad.put("\"runAt\": 5", "runAt");
                bad.put("\"runAt\": \"2099-01-01T00:00:00Z\", \"delay\": \"1s\"", "runAt");
                bad.put("\"delay\": \"soon\"", "delay");
                bad.put("\"delay\": 90", "delay");
                bad.put("\"priority\": 101", "priority");
                bad.put("\"priority\": -101", "priority");
                bad.put("\"priority\": 1.5", "priority");
                bad.put("\"priority\": \"high\"", "priority");
                bad.put("\"queue\": \"reports\"", "queue");
                bad.put("\"queue\": \"a b\"", "queue");
                bad.put("\"queue\": 3", "queue");
                bad.put("\"timeout\": \"0s\"", "timeout");
                bad.put("\"timeout\": \"forever\"", "timeout");
                bad.put("\"retry\": 3", "retry");
                bad.put("\"retry\": {\"maxAttempts\": 0}", "retry");
                bad.put("\"retry\": {\"maxAttempts\": 1000}", "retry");
                bad.put("\"retry\": {\"backoff\": \"1h\", \"maxBackoff\": \"1s\"}", "retry");
                bad.put("\"retry\": {\"tries\": 2}", "retry");
                for (Map.Entry<String, String> b : bad.entrySet()) {
                    Answer a = submit(http, "{\"type\": \"sleep\", " + b.getKey() + "}");
                    assertThat(a.status()).as(b.getKey()).isEqualTo(422);
                    assertThat(a.contentType()).isEqualTo("application/problem+json");
                    assertThat(a.json().get("detail").asText()).as(b.getKey()).startsWith(b.getValue() + ": ");
                }
                assertThat(submit(http, "{\"type\": \"sleep\", \"queue\": \"default\"}").status()).isEqualTo(202);
                assertThat(submit(http, "{\"type\": \"sleep\", \"priority\": null, \"runAt\": null}").status()).isEqualTo(202);
                assertThat(http.get("/api/jobs").json().get("jobs")).hasSize(2);
            } finally {
                fx.engine.close();
            }
        });
    }
}
