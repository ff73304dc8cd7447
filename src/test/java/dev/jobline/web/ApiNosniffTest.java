package dev.jobline.web;

import dev.jobline.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.JobEngine;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.types.SleepJob;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every answer of the API, and every problem, tells the browser not to guess its type. */
@Timeout(30)
class ApiNosniffTest {

    @Test
    void apiAnswersHealthAndTheOpenApiDocumentCarryNosniff() {
        ApiFixture fx = new ApiFixture();
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            try {
                String id = http.submitSleep("{\"seconds\":0}");
                Answer submitted = http.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0}}");
                assertThat(submitted.status()).isEqualTo(202);
                assertNosniff("POST /api/jobs", submitted);
                for (String path : List.of("/api/jobs", "/api/jobs/" + id, "/api/jobs/" + id + "?after=0&wait=1s", "/api/types",
                        "/health", "/openapi.json")) {
                    Answer a = http.get(path);
                    assertThat(a.status()).as(path).isEqualTo(200);
                    assertNosniff(path, a);
                }
                assertNosniff("DELETE", http.delete("/api/jobs/" + id));
            } finally {
                fx.engine.close();
            }
        });
    }

    @Test
    void everyProblemCarriesNosniffWhoeverWritesIt() {
        ApiFixture fx = new ApiFixture();
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            URI origin = URI.create(client.getOrigin());
            try {
                assertProblemWithNosniff("no such job", http.get("/api/jobs/no-such-job"), 404);
                assertProblemWithNosniff("no route, outside /api", http.get("/no/such/page"), 404);
                assertProblemWithNosniff("bad JSON", http.post("/api/jobs", "{bad"), 400);
                assertProblemWithNosniff("wrong method", http.send(HttpRequest.newBuilder(URI.create(http.uri("/api/types")))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))), 405);
                // why: these two are written by JsonErrorHandler, before or outside Javalin
                String tooLarge = EdgeLimitsTest.exchange(origin,
                        "POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n", 5_000);
                assertThat(tooLarge).startsWith("HTTP/1.1 413 ").containsIgnoringCase("X-Content-Type-Options: nosniff");
                String garbage = EdgeLimitsTest.exchange(origin, "GARBAGE\r\n\r\n", 5_000);
                assertThat(garbage).startsWith("HTTP/1.1 400 ").containsIgnoringCase("X-Content-Type-Options: nosniff");
            } finally {
                fx.engine.close();
            }
        });
    }

    @Test
    void theUnauthorizedProblemCarriesNosniff() {
        ApiFixture fx = new ApiFixture(WebOptions.local().withTokens(Tokens.parse("alice user s1")));
        JobEngine engine = fx.engine;
        Javalin app = fx.app;
        JavalinTest.test(app, (server, client) -> {
            try {
                assertProblemWithNosniff("no token", new TestHttp(client.getOrigin()).get("/api/jobs"), 401);
            } finally {
                engine.close();
            }
        });
    }

    private static void assertProblemWithNosniff(String what, Answer a, int status) {
        assertThat(a.status()).as(what).isEqualTo(status);
        assertThat(a.contentType()).as(what).isEqualTo(Problem.CONTENT_TYPE);
        assertNosniff(what, a);
    }

    private static void assertNosniff(String what, Answer a) {
        assertThat(a.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
    }
}
