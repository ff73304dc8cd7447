package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dependencies and batches on the real jar: one node on SQLite, and three nodes on one PostgreSQL,
 * where a batch submitted on one node is followed by long-polls on another and a chain of
 * dependencies is submitted across the nodes.
 */
@Timeout(600)
class BatchesIT {
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
    private static final String QUICK = "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1}}";

    @TempDir
    Path dir;

    private final List<JoblineProcess> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(JoblineProcess::close);
    }

    private TestHttp start(String... args) throws Exception {
        JoblineProcess p = JoblineProcess.start(dir, args);
        nodes.add(p);
        return new TestHttp(p.url());
    }

    private List<TestHttp> cluster() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        List<TestHttp> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(start("--port", "0", "--store", "postgres", "--db-url", url, "--node-id", "node-" + i,
                    "--max-queued", "100000", "--lease", "30s"));
        }
        return out;
    }

    /** Follows one job with long-polls alone; every version seen, the last terminal. */
    private static List<JsonNode> follow(TestHttp http, String id) {
        List<JsonNode> seen = new ArrayList<>();
        long v = 0;
        for (int round = 0; round < 100_000; round++) {
            Answer a = http.get("/api/jobs/" + id + "?after=" + v + "&wait=30s");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            JsonNode job = a.json();
            assertThat(job.get("version").asLong()).isGreaterThanOrEqualTo(v);
            seen.add(job);
            v = job.get("version").asLong();
            if (TERMINAL.contains(job.get("state").asText())) return seen;
        }
        throw new AssertionError("job " + id + " did not end");
    }

    private static String batchOf(int n) {
        StringBuilder b = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(QUICK);
        return b.append("]}").toString();
    }

    /** A batch of 1,000 submitted on {@code in}, followed to its end by long-polls on the parent alone on {@code on}. */
    private static void aBatchOfAThousandFollowedByLongPollsOnTheParent(TestHttp in, TestHttp on) {
        Answer a = in.post("/api/batches", batchOf(1000));
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        String id = a.json().get("id").asText();
        List<JsonNode> seen = follow(on, id);
        JsonNode end = seen.getLast();
        assertThat(end.get("state").asText()).isEqualTo("succeeded");
        assertThat(end.get("type").asText()).isEqualTo("batch");
        assertThat(end.get("progress").get("done").asInt()).isEqualTo(1000);
        assertThat(end.get("progress").get("total").asInt()).isEqualTo(1000);
        assertThat(end.get("progress").get("percent").asDouble()).isEqualTo(100.0);
        JsonNode children = on.get("/api/jobs?parent=" + id + "&limit=1000").json().get("jobs");
        assertThat(children).hasSize(1000);
        for (JsonNode c : children) {
            assertThat(c.get("state").asText()).isEqualTo("succeeded");
            assertThat(c.get("parent").asText()).isEqualTo(id);
            assertThat(c.get("finishedAt").asText()).isLessThanOrEqualTo(end.get("finishedAt").asText());
        }
    }

    /** A chain a &lt;- b &lt;- c submitted on three clients in turn: each starts after the one before it succeeded. */
    private static void aChainOfDependencies(List<TestHttp> c) {
        String a = c.get(0).submitSleep("{\"seconds\":2,\"steps\":1}"); // why: long enough that b and c are submitted while it runs
        Answer b = c.get(1 % c.size()).post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0.1,\"steps\":1},\"after\":[\"" + a + "\"]}");
        assertThat(b.status()).as(b.body()).isEqualTo(202);
        String bid = b.json().get("id").asText();
        Answer cc = c.get(2 % c.size()).post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1},\"after\":[\"" + bid + "\"]}");
        assertThat(cc.status()).as(cc.body()).isEqualTo(202);
        assertThat(cc.json().get("waitingFor").get(0).asText()).isEqualTo(bid);
        JsonNode end = follow(c.get(0), cc.json().get("id").asText()).getLast();
        assertThat(end.get("state").asText()).isEqualTo("succeeded");
        // why: followed to their ends on the other nodes, not read once: a node's view trails another node's commit by its feed
        JsonNode ja = follow(c.get(1 % c.size()), a).getLast();
        JsonNode jb = follow(c.get(2 % c.size()), bid).getLast();
        assertThat(jb.get("startedAt").asText()).isGreaterThanOrEqualTo(ja.get("finishedAt").asText());
        assertThat(end.get("startedAt").asText()).isGreaterThanOrEqualTo(jb.get("finishedAt").asText());

        // why: it fails after 1 s, so that d and e are submitted while it runs (a dependency already failed is a 422)
        String failing = c.get(0).submitSleep("{\"seconds\":2,\"steps\":2,\"failAt\":50}");
        Answer dAnswer = c.get(1 % c.size()).post("/api/jobs", "{\"type\":\"sleep\",\"after\":[\"" + failing + "\"]}");
        assertThat(dAnswer.status()).as(dAnswer.body()).isEqualTo(202);
        String d = dAnswer.json().get("id").asText();
        Answer eAnswer = c.get(2 % c.size()).post("/api/jobs", "{\"type\":\"sleep\",\"after\":[\"" + d + "\"]}");
        assertThat(eAnswer.status()).as(eAnswer.body()).isEqualTo(202);
        String e = eAnswer.json().get("id").asText();
        JsonNode ended = follow(c.get(0), e).getLast();
        assertThat(ended.get("state").asText()).isEqualTo("cancelled");
        assertThat(ended.get("error").get("type").asText()).isEqualTo("dependency");
        assertThat(ended.get("error").get("message").asText()).contains(d);
        assertThat(follow(c.get(1 % c.size()), d).getLast().get("error").get("message").asText()).contains(failing);
    }

    @Test
    void onSqliteABatchOfAThousandAndAChainOfDependencies() throws Exception {
        TestHttp http = start("--port", "0", "--data", dir.resolve("data").toString());
        aBatchOfAThousandFollowedByLongPollsOnTheParent(http, http);
        aChainOfDependencies(List.of(http));
        assertThat(nodes.getFirst().stderr()).doesNotContain("ERROR");
    }

    @Test
    void onThreePostgresNodesABatchOfAThousandAndAChainOfDependenciesAcrossThem() throws Exception {
        List<TestHttp> c = cluster();
        aBatchOfAThousandFollowedByLongPollsOnTheParent(c.get(0), c.get(1));
        aChainOfDependencies(c);
        for (JoblineProcess p : nodes) assertThat(p.stderr()).doesNotContain("ERROR");
    }

    @Test
    void theClientSubmitsAfterOthersAndFollowsABatchFromAFile() throws Exception {
        TestHttp http = start("--port", "0", "--store", "memory");
        Map<String, String> env = Map.of("JOBLINE_URL", nodes.getFirst().url());
        String a = http.submitSleep("{\"seconds\":0.2,\"steps\":1}");
        String b = http.submitSleep("{\"seconds\":0.1,\"steps\":1}");
        ClientRun after = ClientRun.run(dir, env, "submit", "sleep", "-p", "seconds=0", "--after", a + "," + b, "--wait");
        assertThat(after.exitCode()).as(after.err()).isZero();
        Path file = dir.resolve("batch.json");
        Files.writeString(file, "[" + QUICK + "," + QUICK + ",{\"type\":\"sleep\",\"params\":{\"seconds\":0.2,\"steps\":4}}]");
        ClientRun batch = ClientRun.run(dir, env, "batch", file.toString());
        assertThat(batch.exitCode()).as(batch.err()).isZero();
        String id = batch.out().lines().findFirst().orElseThrow().strip();
        JsonNode parent = http.get("/api/jobs/" + id).json();
        assertThat(parent.get("type").asText()).isEqualTo("batch");
        assertThat(parent.get("state").asText()).isEqualTo("succeeded");
        Files.writeString(file, "[{\"type\":\"sleep\",\"params\":{\"seconds\":-1}}]");
        ClientRun bad = ClientRun.run(dir, env, "batch", file.toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("jobs[0].params.seconds");
    }
}
