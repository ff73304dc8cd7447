package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class IdempotencyHttpTest {

    private static Answer submit(TestHttp http, String key, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(http.uri("/api/jobs")))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) r.header("Idempotency-Key", key);
        return http.send(r);
    }

    @Test
    void theIdempotencyRulesOfTheContract() {
        ApiFixture fx = new ApiFixture();
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            try {
                Answer first = submit(http, "order-17", "{\"type\":\"sleep\",\"params\":{\"seconds\":30,\"steps\":3}}");
                assertThat(first.status()).isEqualTo(202);
                String id = first.json().get("id").asText();

                Answer same = submit(http, "order-17", "{ \"params\": {\"steps\": 3.0, \"seconds\": 30}, \"type\": \"sleep\" }");
                assertThat(same.status()).isEqualTo(202);
                assertThat(same.json().get("id").asText()).isEqualTo(id);
                assertThat(same.header("Location")).isEqualTo("/api/jobs/" + id);
                assertThat(http.get("/api/jobs").json().get("jobs")).hasSize(1);

                Answer different = submit(http, "order-17", "{\"type\":\"sleep\",\"params\":{\"seconds\":31}}");
                assertThat(different.status()).isEqualTo(422);
                assertThat(different.contentType()).isEqualTo("application/problem+json");
                assertThat(different.json().get("detail").asText()).contains("different request body");

                assertThat(submit(http, "x".repeat(256), "{\"type\":\"sleep\"}").status()).isEqualTo(400);
                assertThat(submit(http, "x".repeat(255), "{\"type\":\"sleep\"}").status()).isEqualTo(202);
                // why: java.net.http writes header values as ASCII ('?' for é), so send the UTF-8 bytes by hand
                String raw = rawPost(http.uri(""), "caf\u00c3\u00a9", "{\"type\":\"sleep\"}");
                assertThat(raw).startsWith("HTTP/1.1 400").contains("application/problem+json").contains("Idempotency-Key");
                assertThat(submit(http, null, "{\"type\":\"sleep\"}").status()).isEqualTo(202);
                assertThat(submit(http, null, "{\"type\":\"sleep\"}").status()).isEqualTo(202);
                // numbers too large for a double must not break the body's fingerprint
                for (String huge : new String[] {"1e400", "-1e400"}) {
                    Answer a = submit(http, "huge" + huge, "{\"type\":\"sleep\",\"params\":{\"seconds\":" + huge + "}}");
                    assertThat(a.status()).as(huge).isEqualTo(422);
                }
            } finally {
                fx.engine.close();
            }
        });
    }

    private static String rawPost(String origin, String keyLatin1, String body) {
        URI u = URI.create(origin);
        try (java.net.Socket s = new java.net.Socket(u.getHost(), u.getPort())) {
            String req = "POST /api/jobs HTTP/1.1\r\nHost: " + u.getHost() + "\r\nIdempotency-Key: " + keyLatin1
                    + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
            s.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anEmptyKeyIsMalformed() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JobRoutes.idempotencyKey("")))
                .isInstanceOf(Problem.Exception.class);
        assertThat(JobRoutes.idempotencyKey("a b~")).isEqualTo("a b~");
        assertThat(JobRoutes.idempotencyKey(null)).isNull();
    }
}
