package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.Quotas;
import io.javalin.testtools.JavalinTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dependencies ({@code after}) and batches over real HTTP: the happy paths, and every 4xx with the field it names. */
@Timeout(60)
class FlowHttpTest {
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    private static void withApi(ApiFixture fx, Consumer<TestHttp> body) {
        JavalinTest.test(fx.app, (server, client) -> {
            try {
                body.accept(new TestHttp(client.getOrigin()));
            } finally {
                fx.engine.close();
            }
        });
    }

    /** Follows a job with long-polls to its end; returns every version seen, the last one terminal. */
    static List<JsonNode> follow(TestHttp http, String id) {
        List<JsonNode> seen = new ArrayList<>();
        long v = 0;
        for (int round = 0; round < 10_000; round++) {
            Answer a = http.get("/api/jobs/" + id + "?after=" + v + "&wait=10s");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            seen.add(a.json());
            v = a.json().get("version").asLong();
            if (TERMINAL.contains(a.json().get("state").asText())) return seen;
        }
        throw new AssertionError("job " + id + " did not end");
    }

    private static void problem(Answer a, int status, String detailContains) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).isEqualTo("application/problem+json");
        assertThat(a.json().get("detail").asText()).contains(detailContains);
    }

    @Test
    void aJobAfterAnotherWaitsShowingWaitingForAndRunsOnceItSucceeded() {
        withApi(new ApiFixture(), http -> {
            String a = http.submitSleep("{\"seconds\":0.3,\"steps\":1}");
            Answer b = http.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1},\"after\":[\"" + a + "\",\"" + a + "\"]}");
            assertThat(b.status()).as(b.body()).isEqualTo(202);
            assertThat(b.json().get("after")).hasSize(1);
            assertThat(b.json().get("waitingFor").get(0).asText()).isEqualTo(a);
            assertThat(b.json().get("state").asText()).isEqualTo("queued");
            List<JsonNode> seen = follow(http, b.json().get("id").asText());
            JsonNode last = seen.getLast();
            assertThat(last.get("state").asText()).isEqualTo("succeeded");
            assertThat(last.has("waitingFor")).isFalse();
            assertThat(http.get("/api/jobs/" + a).json().get("finishedAt").asText())
                    .isLessThanOrEqualTo(last.get("startedAt").asText());
        });
    }

    @Test
    void aCancelledDependencyCancelsItsDependentsNamingIt() {
        withApi(new ApiFixture(), http -> {
            String a = http.submitSleep("{\"seconds\":30}");
            String b = http.post("/api/jobs", "{\"type\":\"sleep\",\"after\":[\"" + a + "\"]}").json().get("id").asText();
            assertThat(http.post("/api/jobs/" + a + "/cancel", "").status()).isEqualTo(202);
            JsonNode end = follow(http, b).getLast();
            assertThat(end.get("state").asText()).isEqualTo("cancelled");
            assertThat(end.get("error").get("type").asText()).isEqualTo("dependency");
            assertThat(end.get("error").get("message").asText()).contains(a);
            follow(http, a);
            problem(http.post("/api/jobs", "{\"type\":\"sleep\",\"after\":[\"" + a + "\"]}"), 422, "after: job " + a);
        });
    }

    @Test
    void everyMalformedOrUnrunnableAfterIsRefusedNamingTheField() {
        withApi(new ApiFixture(), http -> {
            problem(http.post("/api/jobs", "{\"type\":\"sleep\",\"after\":\"x\"}"), 400, "after must be an array");
            problem(http.post("/api/jobs", "{\"type\":\"sleep\",\"after\":[1]}"), 400, "after[0]");
            problem(http.post("/api/jobs", "{\"type\":\"sleep\",\"after\":[\"\"]}"), 400, "after[0]");
            Answer unknown = http.post("/api/jobs", "{\"type\":\"sleep\",\"after\":[\"no-such-job\"]}");
            problem(unknown, 422, "no-such-job");
            assertThat(unknown.json().get("type").asText()).contains("invalid-after");
            assertThat(http.get("/api/jobs").json().get("jobs")).isEmpty();
        });
    }

    @Test
    void aBatchIsOneParentFollowedByOneLongPollToItsEnd() {
        withApi(new ApiFixture(), http -> {
            StringBuilder jobs = new StringBuilder();
            for (int i = 0; i < 20; i++) jobs.append(i == 0 ? "" : ",").append("{\"type\":\"sleep\",\"params\":{\"seconds\":0.05,\"steps\":2}}");
            Answer a = http.post("/api/batches", "{\"jobs\":[" + jobs + "]}");
            assertThat(a.status()).as(a.body()).isEqualTo(202);
            String id = a.json().get("id").asText();
            assertThat(a.header("Location")).isEqualTo("/api/jobs/" + id);
            assertThat(a.json().get("type").asText()).isEqualTo("batch");
            assertThat(a.json().get("progress").get("total").asInt()).isEqualTo(20);

            List<JsonNode> seen = follow(http, id);
            JsonNode end = seen.getLast();
            assertThat(end.get("state").asText()).isEqualTo("succeeded");
            assertThat(end.get("progress").get("done").asInt()).isEqualTo(20);
            assertThat(end.get("progress").get("percent").asDouble()).isEqualTo(100.0);
            JsonNode children = http.get("/api/jobs?parent=" + id + "&limit=1000").json().get("jobs");
            assertThat(children).hasSize(20);
            for (JsonNode c : children) {
                assertThat(c.get("parent").asText()).isEqualTo(id);
                assertThat(c.get("state").asText()).isEqualTo("succeeded");
            }
        });
    }

    @Test
    void aBatchesPercentMovesWithItsRunningJobsBeforeAnyEnds() {
        withApi(new ApiFixture(), http -> {
            String id = http.post("/api/batches", "{\"jobs\":[{\"type\":\"sleep\",\"params\":{\"seconds\":4,\"steps\":40}},"
                    + "{\"type\":\"sleep\",\"params\":{\"seconds\":4,\"steps\":40}}]}").json().get("id").asText();
            long v = 0;
            for (int round = 0; round < 1000; round++) {
                JsonNode p = http.get("/api/jobs/" + id + "?after=" + v + "&wait=10s").json();
                v = p.get("version").asLong();
                if (p.get("progress").get("percent").asDouble() > 0) {
                    assertThat(p.get("progress").get("done").asInt()).as("moved before any job ended").isZero();
                    assertThat(p.get("state").asText()).isEqualTo("running");
                    return;
                }
            }
            throw new AssertionError("the batch's percent never moved");
        });
    }

    @Test
    void cancellingABatchCancelsItsChildren() {
        withApi(new ApiFixture(), http -> {
            Answer a = http.post("/api/batches", "{\"jobs\":[{\"type\":\"sleep\",\"params\":{\"seconds\":30}},"
                    + "{\"type\":\"sleep\",\"params\":{\"seconds\":30}}]}");
            String id = a.json().get("id").asText();
            Answer c = http.post("/api/jobs/" + id + "/cancel", "");
            assertThat(c.status()).as(c.body()).isEqualTo(202);
            assertThat(c.json().get("state").asText()).isEqualTo("cancelled");
            for (JsonNode child : http.get("/api/jobs?parent=" + id).json().get("jobs")) {
                assertThat(follow(http, child.get("id").asText()).getLast().get("state").asText()).isEqualTo("cancelled");
            }
            problem(http.post("/api/jobs/" + id + "/cancel", ""), 409, "already cancelled");
            assertThat(http.delete("/api/jobs/" + id).status()).isEqualTo(204);
        });
    }

    @Test
    void everyBadBatchIsRefusedWholeNamingTheJobAndField() {
        withApi(new ApiFixture(), http -> {
            String ok = "{\"type\":\"sleep\"}";
            problem(http.post("/api/batches", ""), 400, "JSON object");
            problem(http.post("/api/batches", "[1]"), 400, "JSON object");
            problem(http.post("/api/batches", "{\"jobs\":["), 400, "not valid JSON");
            problem(http.post("/api/batches", "{\"jobs\":[],\"x\":1}"), 400, "unknown field 'x'");
            problem(http.post("/api/batches", "{}"), 400, "jobs is required");
            problem(http.post("/api/batches", "{\"jobs\":{}}"), 400, "jobs must be an array");
            problem(http.post("/api/batches", "{\"jobs\":[]}"), 422, "at least one");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + ",1]}"), 400, "jobs[1] must be a JSON object");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + ",{}]}"), 400, "jobs[1].type is required");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + ",{\"type\":3}]}"), 400, "jobs[1].type must be a string");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + ",{\"type\":\"sleep\",\"z\":1}]}"), 400, "unknown field 'z' in jobs[1]");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + ",{\"type\":\"sleep\",\"params\":[]}]}"), 400, "jobs[1].params must be");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + ",{\"type\":\"sleep\",\"after\":7}]}"), 400, "jobs[1].after must be");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + "," + ok + ",{\"type\":\"nope\"}]}"), 422, "jobs[2].type");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + ",{\"type\":\"sleep\",\"params\":{\"seconds\":-1}}]}"), 422,
                    "jobs[1].params.seconds");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + ",{\"type\":\"sleep\",\"after\":[\"gone\"]}]}"), 422, "jobs[1].after: job gone");
            problem(http.post("/api/batches", "{\"jobs\":[" + ok + "],\"callback\":{\"url\":\"http://127.0.0.1:9/\"}}"), 422, "callback.url");
            problem(http.post("/api/batches", "{\"jobs\":[{\"type\":\"sleep\",\"callback\":{}}]}"), 400, "jobs[0].callback.url is required");
            assertThat(http.get("/api/jobs").json().get("jobs")).isEmpty();
        });
    }

    @Test
    void aBatchCountsEachChildAgainstTheActiveQuota() {
        withApi(new ApiFixture(new Quotas(3, null, null), WebOptions.local()), http -> {
            String three = "{\"type\":\"sleep\",\"params\":{\"seconds\":30}}";
            Answer full = http.post("/api/batches", "{\"jobs\":[" + three + "," + three + "," + three + "," + three + "]}");
            problem(full, 429, "max-active-per-owner");
            assertThat(full.header("Retry-After")).isNotNull();
            assertThat(http.get("/api/jobs").json().get("jobs")).isEmpty();
            assertThat(http.post("/api/batches", "{\"jobs\":[" + three + "," + three + "]}").status()).isEqualTo(202);
        });
    }

    @Test
    void withTokensAJobWaitsOnlyForItsOwnersJobs() {
        Tokens tokens = Tokens.parse("alice user alice-secret\nbob user bob-secret\n");
        withApi(new ApiFixture(WebOptions.local().withTokens(tokens)), http -> {
            String alices = as(http, "alice-secret", "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":30}}").json().get("id").asText();
            String body = "{\"type\":\"sleep\",\"after\":[\"" + alices + "\"]}";
            problem(as(http, "bob-secret", "/api/jobs", body), 422, alices);
            problem(as(http, "bob-secret", "/api/batches", "{\"jobs\":[" + body + "]}"), 422, "jobs[0].after: job " + alices);
            assertThat(as(http, "alice-secret", "/api/jobs", body).status()).isEqualTo(202);
        });
    }

    private static Answer as(TestHttp http, String token, String path, String body) {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.uri(path)))
                .header("Authorization", "Bearer " + token).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }
}
