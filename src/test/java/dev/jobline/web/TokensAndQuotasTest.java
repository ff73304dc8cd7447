package dev.jobline.web;

import dev.jobline.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.JobEngine;
import dev.jobline.engine.Quotas;
import dev.jobline.time.FakeTimers;
import dev.jobline.time.Timers;
import dev.jobline.job.TestTypes;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.types.SleepJob;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TokensAndQuotasTest {
    private static final String TOKENS = """
            # owner role secret
            alice user alice-secret
            bob   user sha256:%s

            root  admin root-secret
            """.formatted(Tokens.sha256("bob-secret"));

    private final CountDownLatch gate = new CountDownLatch(1);
    private dev.jobline.watch.JobWatch watch;

    private record Client(String origin, String token) {
        Answer send(String method, String path, String body) {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(origin + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) r.header("Authorization", "Bearer " + token);
            try {
                HttpResponse<String> res = HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = res.body().isEmpty() ? null : Json.MAPPER.readTree(res.body());
                return new Answer(res.statusCode(), json, res.body(), res);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        Answer get(String path) {
            return send("GET", path, null);
        }

        String submit(String type) {
            Answer a = send("POST", "/api/jobs", "{\"type\":\"" + type + "\"}");
            assertThat(a.status()).as(a.body()).isEqualTo(202);
            return a.json().get("id").asText();
        }
    }

    private void withServer(Quotas quotas, java.util.function.BiConsumer<String, JobEngine> body) {
        withServer(quotas, Timers.system(Clock.systemUTC()), body);
    }

    private void withServer(Quotas quotas, Timers timers, java.util.function.BiConsumer<String, JobEngine> body) {
        ApiFixture fx = new ApiFixture(EngineOptions.defaults(), quotas, timers, WebOptions.local().withTokens(Tokens.parse(TOKENS)), TestTypes.gated("gate", gate));
        JobEngine engine = fx.engine;
        Javalin app = fx.app;
        this.watch = fx.watch;
        JavalinTest.test(app, (server, client) -> {
            try {
                body.accept(client.getOrigin(), engine);
            } finally {
                gate.countDown();
                engine.close();
            }
        });
    }

    @Test
    void apiRoutesNeedAKnownBearerTokenAndHealthDoesNot() {
        withServer(Quotas.none(), (origin, engine) -> {
            Answer none = new Client(origin, null).get("/api/jobs");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.contentType()).isEqualTo("application/problem+json");
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(new Client(origin, "wrong").get("/api/types").status()).isEqualTo(401);
            assertThat(new Client(origin, null).send("POST", "/api/jobs", "{\"type\":\"sleep\"}").status()).isEqualTo(401);
            assertThat(new Client(origin, null).get("/health").status()).isEqualTo(200);
            assertThat(new Client(origin, "bob-secret").get("/api/types").status()).isEqualTo(200);
        });
    }

    @Test
    void aUserSeesOnlyItsOwnJobsEverywhereAndAnAdminSeesAll() {
        withServer(Quotas.none(), (origin, engine) -> {
            Client alice = new Client(origin, "alice-secret");
            Client bob = new Client(origin, "bob-secret");
            Client root = new Client(origin, "root-secret");
            String bobCursor = bob.get("/api/jobs").json().get("cursor").asText();
            String mine = alice.submit("sleep");
            String running = alice.submit("gate");
            for (String path : List.of("/api/jobs/" + mine, "/api/jobs/" + mine + "?after=0&wait=1s")) {
                Answer a = bob.get(path);
                assertThat(a.status()).isEqualTo(404);
                assertThat(a.json().get("detail").asText()).isEqualTo("no job with id " + mine);
            }
            assertThat(bob.send("POST", "/api/jobs/" + running + "/cancel", "").status()).isEqualTo(404);
            assertThat(bob.send("DELETE", "/api/jobs/" + mine, null).status()).isEqualTo(404);
            assertThat(bob.get("/api/jobs").json().get("jobs")).isEmpty();
            assertThat(bob.get("/api/jobs?owner=alice").json().get("jobs")).isEmpty();

            assertThat(alice.get("/api/jobs/" + mine).json().get("owner").asText()).isEqualTo("alice");
            await().atMost(Duration.ofSeconds(20)).until(() -> alice.get("/api/jobs/" + mine).json().get("state").asText().equals("succeeded"));
            assertThat(alice.send("DELETE", "/api/jobs/" + mine, null).status()).isEqualTo(204);
            JsonNode bobWatch = bob.get("/api/jobs?after=" + bobCursor + "&wait=300ms").json();
            assertThat(bobWatch.get("jobs")).isEmpty();
            assertThat(bobWatch.get("deleted")).isEmpty();

            JsonNode all = root.get("/api/jobs").json().get("jobs");
            assertThat(all).hasSize(1);
            assertThat(all.get(0).get("owner").asText()).isEqualTo("alice");
            assertThat(root.get("/api/jobs?owner=bob").json().get("jobs")).isEmpty();
            assertThat(root.get("/api/jobs?owner=alice").json().get("jobs")).hasSize(1);
            assertThat(root.send("POST", "/api/jobs/" + running + "/cancel", "").status()).isEqualTo(202);
        });
    }

    @Test
    void perOwnerQuotasAnswer429NamingTheQuota() {
        withServer(new Quotas(2, 1000, 1), (origin, engine) -> {
            Client alice = new Client(origin, "alice-secret");
            Client bob = new Client(origin, "bob-secret");
            String a1 = alice.submit("gate");
            alice.submit("gate");
            Answer third = alice.send("POST", "/api/jobs", "{\"type\":\"gate\"}");
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.header("Retry-After")).isNotNull();
            assertThat(third.json().get("detail").asText()).contains("max-active-per-owner");
            bob.submit("gate");

            await().atMost(Duration.ofSeconds(20)).until(() -> alice.get("/api/jobs/" + a1).json().get("state").asText().equals("running"));
            long v = alice.get("/api/jobs/" + a1).json().get("version").asLong();
            CompletableFuture<Answer> held = CompletableFuture.supplyAsync(() -> alice.get("/api/jobs/" + a1 + "?after=" + v + "&wait=30s"));
            await().atMost(Duration.ofSeconds(20)).until(() -> watch.waiting() == 1);
            Answer second = alice.get("/api/jobs/" + a1 + "?after=" + v + "&wait=30s");
            assertThat(second.status()).isEqualTo(429);
            assertThat(second.json().get("detail").asText()).contains("max-waiters-per-owner");
            gate.countDown();
            assertThat(held.join().json().get("state").asText()).isEqualTo("succeeded");
            await().atMost(Duration.ofSeconds(20)).until(() -> alice.send("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0}}").status() == 202);
        });
    }

    @Test
    void submitsPerSecondAreABucketOfTwiceTheRate() {
        FakeTimers timers = new FakeTimers();
        withServer(new Quotas(null, 1, null), timers, (origin, engine) -> {
            Client alice = new Client(origin, "alice-secret");
            alice.submit("sleep");
            alice.submit("sleep");
            Answer third = alice.send("POST", "/api/jobs", "{\"type\":\"sleep\"}");
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.json().get("detail").asText()).contains("max-submits-per-second-per-owner");
            assertThat(third.header("Retry-After")).isEqualTo("1");
            timers.advance(Duration.ofMillis(999));
            assertThat(alice.send("POST", "/api/jobs", "{\"type\":\"sleep\"}").status()).as("not a whole token yet").isEqualTo(429);
            new Client(origin, "bob-secret").submit("sleep");
            timers.advance(Duration.ofMillis(1));
            alice.submit("sleep");
            assertThat(alice.send("POST", "/api/jobs", "{\"type\":\"sleep\"}").status()).isEqualTo(429);
            timers.advance(Duration.ofHours(1));
            alice.submit("sleep");
            alice.submit("sleep");
            assertThat(alice.send("POST", "/api/jobs", "{\"type\":\"sleep\"}").status()).as("the bucket holds twice the rate, no more").isEqualTo(429);
        });
    }

    @Test
    void tokenDeclarationsAreCheckedLineByLine() {
        assertThatThrownBy(() -> Tokens.parse("alice user")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> Tokens.parse("alice owner s")).hasMessageContaining("role must be user or admin");
        assertThatThrownBy(() -> Tokens.parse("a user sha256:xyz")).hasMessageContaining("64 hex");
        assertThatThrownBy(() -> Tokens.parse("# nothing\n\n")).hasMessageContaining("none was found");
        assertThatThrownBy(() -> Tokens.parse("a user s\nb user s")).hasMessageContaining("twice");
        assertThat(Tokens.parse(TOKENS).lookup("bob-secret")).contains(new Tokens.Principal("bob", false));
    }
}
