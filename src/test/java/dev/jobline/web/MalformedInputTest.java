package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every bad input gets the right 4xx as problem+json naming what is wrong; none gets a 5xx. */
@Timeout(60)
class MalformedInputTest {

    record Case(String method, String path, String body, int status, String detailContains) {}

    static Stream<Case> cases(String job) {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        return Stream.of(
                new Case("POST", "/api/jobs", "", 400, "body must be a JSON object"),
                new Case("POST", "/api/jobs", "{bad", 400, "not valid JSON"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\"} trailing", 400, "not valid JSON"),
                new Case("POST", "/api/jobs", "[1,2]", 400, "must be a JSON object, not array"),
                new Case("POST", "/api/jobs", "\"sleep\"", 400, "not string"),
                new Case("POST", "/api/jobs", "null", 400, "must be a JSON object"),
                new Case("POST", "/api/jobs", deep, 400, "not valid JSON"),
                new Case("POST", "/api/jobs", "{}", 400, "type is required"),
                new Case("POST", "/api/jobs", "{\"type\":5}", 400, "type must be a string"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":\"x\"}", 400, "params must be a JSON object"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":[]}", 400, "params must be a JSON object"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\",\"prams\":{}}", 400, "unknown field 'prams'"),
                new Case("POST", "/api/jobs", "{\"type\":\"nope\"}", 422, "unknown job type 'nope'"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":-1}}", 422, "params.seconds must be a number from 0 to 86400"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"steps\":\"ten\"}}", 422, "params.steps must be an integer"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"failAt\":1000}}", 422, "params.failAt"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":1e999}}", 422, "params.seconds"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"x\":1}}", 422, "params.x is not a parameter"),
                new Case("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":1}}" + " ".repeat(70_000), 413, "larger"),
                new Case("GET", "/api/jobs/" + job + "?after=-1", null, 400, "after must be a job version"),
                new Case("GET", "/api/jobs/" + job + "?after=abc", null, 400, "after must be a job version"),
                new Case("GET", "/api/jobs/" + job + "?after=99999999999999999999", null, 400, "after must be a job version"),
                new Case("GET", "/api/jobs/" + job + "?after=1&wait=abc", null, 400, "wait must be"),
                new Case("GET", "/api/jobs/" + job + "?after=1&wait=5h", null, 400, "wait must be"),
                new Case("GET", "/api/jobs/" + job + "?after=1&wait=-5", null, 400, "wait must be"),
                new Case("GET", "/api/jobs/no-such-job", null, 404, "no-such-job"),
                new Case("GET", "/api/jobs/no-such-job?after=1&wait=1", null, 404, "no-such-job"),
                new Case("GET", "/api/jobs?after=bogus", null, 400, "after must be a cursor"),
                new Case("GET", "/api/jobs?after=", null, 400, "after must be a cursor"),
                new Case("GET", "/api/jobs?limit=0", null, 400, "limit must be"),
                new Case("GET", "/api/jobs?limit=1001", null, 400, "limit must be"),
                new Case("GET", "/api/jobs?limit=ten", null, 400, "limit must be"),
                new Case("GET", "/api/jobs?state=done", null, 400, "state must be one of"),
                new Case("GET", "/api/jobs?after=abc-1&wait=x", null, 400, "wait must be"),
                new Case("POST", "/api/jobs/no-such-job/cancel", "", 404, "no-such-job"),
                new Case("DELETE", "/api/jobs/no-such-job", null, 404, "no-such-job"),
                new Case("GET", "/api/nothing-here", null, 404, "no route"),
                new Case("PUT", "/api/jobs", "{}", 405, "not allowed"),
                new Case("POST", "/api/types", "{}", 405, "not allowed"));
    }


    @Test
    void everyMalformedRequestGetsItsProblem() {
        ApiFixture fx = new ApiFixture();
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            try {
                String job = http.submitSleep("{\"seconds\":30}");
                cases(job).forEach(c -> {
                    HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(c.body());
                    Answer a = http.send(HttpRequest.newBuilder(URI.create(http.uri(c.path()))).method(c.method(), body));
                    String what = c.method() + " " + c.path().substring(0, Math.min(60, c.path().length())) + " "
                            + (c.body() == null ? "" : c.body().substring(0, Math.min(60, c.body().length())));
                    assertThat(a.status()).as(what + " -> " + a.body()).isEqualTo(c.status());
                    assertThat(a.contentType()).as(what).isEqualTo("application/problem+json");
                    assertThat(a.json().get("status").asInt()).as(what).isEqualTo(c.status());
                    assertThat(a.json().get("title").asText()).as(what).isNotBlank();
                    assertThat(a.json().get("type").asText()).as(what).isNotBlank();
                    assertThat(a.json().get("detail").asText()).as(what).contains(c.detailContains());
                });
            } finally {
                fx.engine.close();
            }
        });
    }

    /** Requests broken below JSON, at the HTTP layer: sent as raw bytes, since no client library would send them. */
    @Test
    void requestsBrokenAtTheHttpLayerGetProblemsToo() {
        ApiFixture fx = new ApiFixture();
        JavalinTest.test(fx.app, (server, client) -> {
            URI origin = URI.create(client.getOrigin());
            String[][] cases = {
                    {"POST /api/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n", "400"},
                    {"GET /api/jobs/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "400"},
                    {"GET /api/jobs/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "414"},
                    {"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n", "431"},
                    {"GARBAGE\r\n\r\n", "400"},
                    {"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "400"},
                    {"POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"type\":\"\u00ff\u00fe\"}", "400"},
            };
            try {
                for (String[] c : cases) {
                    String answer = raw(origin, c[0]);
                    String what = c[0].substring(0, Math.min(50, c[0].length()));
                    assertThat(answer).as(what).startsWith("HTTP/1.1 " + c[1]);
                    assertThat(answer).as(what).containsIgnoringCase("Content-Type: application/problem+json");
                    assertThat(answer).as(what).contains("\"status\":" + c[1]);
                }
            } finally {
                fx.engine.close();
            }
        });
    }

    private static String raw(URI origin, String request) {
        try (java.net.Socket s = new java.net.Socket(origin.getHost(), origin.getPort())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
