package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.pg.PostgresServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several real Jobline processes on one real PostgreSQL: the cluster as the contract describes it. */
@Timeout(600)
class ClusterIT {
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    @TempDir
    Path dir;

    private final List<JoblineProcess> nodes = new ArrayList<>();
    private String url;

    @AfterEach
    void stopNodes() {
        nodes.forEach(JoblineProcess::close);
    }

    /** Starts {@code n} nodes (in parallel) on a fresh database and returns a client for each. */
    private List<TestHttp> cluster(int n, String... extra) {
        url = PostgresServer.shared().newDatabase();
        List<CompletableFuture<JoblineProcess>> starting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            starting.add(CompletableFuture.supplyAsync(() -> startNode(k, extra)));
        }
        List<TestHttp> clients = new ArrayList<>();
        for (CompletableFuture<JoblineProcess> f : starting) {
            JoblineProcess p = f.join();
            nodes.add(p);
            clients.add(new TestHttp(p.url()));
        }
        return clients;
    }

    private JoblineProcess startNode(int k, String... extra) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--store", "postgres", "--db-url", url,
                "--node-id", "node-" + k, "--max-running", "200", "--max-queued", "100000"));
        args.addAll(List.of(extra));
        if (!args.contains("--lease")) args.addAll(List.of("--lease", "3s")); // why: takeovers come quickly in the tests that want them
        try {
            return JoblineProcess.start(dir, args.toArray(String[]::new));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Requests the node holds (all owners), as its last heartbeat stored them in the database. */
    private int heldOn(String node) throws Exception {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url);
             java.sql.PreparedStatement ps = db.prepareStatement("SELECT waiters FROM nodes WHERE id = ?")) {
            ps.setString(1, node);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return 0;
                int n = 0;
                for (JsonNode count : dev.jobline.json.Json.MAPPER.readTree(rs.getString(1))) n += count.asInt();
                return n;
            }
        }
    }

    /** Follows a job by long-polls until it ends; fails naming the job, its last state and every node's log when it has not within {@code limit}. */
    private JsonNode followToEnd(TestHttp http, String id, Duration limit) {
        long v = 0;
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode job;
        do {
            job = http.get("/api/jobs/" + id + "?after=" + v + "&wait=10s").json();
            v = job.get("version").asLong();
            if (System.nanoTime() > deadline && !TERMINAL.contains(job.get("state").asText())) {
                StringBuilder logs = new StringBuilder("\n--- in the database\n").append(rowOf(id));
                for (JoblineProcess p : nodes) logs.append('\n').append(p.diagnosis());
                throw new AssertionError("job " + id + " has not ended within " + limit + ": " + job + logs);
            }
        } while (!TERMINAL.contains(job.get("state").asText()));
        return job;
    }

    /** The job's row, the nodes' heartbeats and the open transactions, read from the database itself. */
    private String rowOf(String id) {
        StringBuilder out = new StringBuilder();
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url); java.sql.Statement s = db.createStatement()) {
            for (String sql : List.of("SELECT id, state, node, version, seq, attempt, run_at, waiting_for FROM jobs WHERE id = '" + id + "'",
                    "SELECT id, heartbeat_at FROM nodes", "SELECT pg_snapshot_xmin(pg_current_snapshot())",
                    "SELECT pid, state, xact_start, backend_xid, left(query, 120) FROM pg_stat_activity WHERE backend_xid IS NOT NULL")) {
                try (java.sql.ResultSet rs = s.executeQuery(sql)) {
                    out.append(sql).append('\n');
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) out.append(i > 1 ? " | " : "  ").append(rs.getString(i));
                        out.append('\n');
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            out.append("cannot read the database: ").append(e.getMessage());
        }
        return out.toString();
    }

    private JsonNode followToEnd(TestHttp http, String id) {
        return followToEnd(http, id, Duration.ofSeconds(180));
    }

    private static boolean noneActive(TestHttp http) {
        Answer a = http.get("/api/jobs?state=queued,running&limit=1");
        return a.status() == 200 && a.json().get("jobs").isEmpty();
    }

    @Test
    void tenThousandJobsSubmittedRoundRobinToThreeNodesAllRunExactlyOnce() throws Exception {
        // why: no node dies here, so a heartbeat late under a busy machine must not pass for a lost lease
        List<TestHttp> c = cluster(3, "--lease", "30s");
        List<String> ids = new ArrayList<>(java.util.Collections.nCopies(10_000, (String) null));
        try (ExecutorService pool = Executors.newFixedThreadPool(24)) {
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (int t = 0; t < 24; t++) {
                int start = t;
                work.add(CompletableFuture.runAsync(() -> {
                    for (int i = start; i < 10_000; i += 24) ids.set(i, c.get(i % 3).submitSleep("{\"seconds\":0,\"steps\":1}"));
                }, pool));
            }
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
        }
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250)).until(() -> noneActive(c.get(0)));
        Map<String, Integer> ranOn = new ConcurrentHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode job = c.get((i + 1) % 3).get("/api/jobs/" + ids.get(i)).json();
            assertThat(job.get("state").asText()).as(ids.get(i)).isEqualTo("succeeded");
            assertThat(job.get("attempt").asInt()).as("claimed once: " + ids.get(i)).isEqualTo(1);
        }
        for (JoblineProcess p : nodes) assertThat(p.stderr()).doesNotContain("ERROR");
    }

    @Test
    void aChangeOnOneNodeAnswersTheLongPollAndTheWatchOnAnotherAndACancelReachesTheNodeRunningTheJob() throws Exception {
        List<TestHttp> c = cluster(3);
        String id = c.get(0).submitSleep("{\"seconds\":120,\"steps\":1}");
        await().atMost(Duration.ofSeconds(30)).until(() -> c.get(1).get("/api/jobs/" + id).json().get("state").asText().equals("running"));
        JsonNode running = c.get(1).get("/api/jobs/" + id).json();
        String runsOn = running.get("node").asText();
        int runner = Integer.parseInt(runsOn.substring("node-".length()));
        int waiter = (runner + 1) % 3;
        int canceller = (runner + 2) % 3;
        long v = running.get("version").asLong();
        String cursor = c.get(canceller).get("/api/jobs").json().get("cursor").asText(); // why: a cursor of one node, used on another
        CompletableFuture<Answer> poll = c.get(waiter).getAsync("/api/jobs/" + id + "?after=" + v + "&wait=60s");
        CompletableFuture<Answer> watch = c.get(waiter).getAsync("/api/jobs?after=" + cursor + "&wait=60s");
        // why: the change must wake requests already held, not answer ones that arrive after it; the waiter node's
        // heartbeat (every second) stores how many requests it holds, which is what GET /api/nodes is read from
        await().atMost(Duration.ofSeconds(20)).until(() -> heldOn("node-" + waiter) == 2);
        assertThat(poll).isNotDone();
        assertThat(watch).isNotDone();
        Answer cancelled = c.get(canceller).post("/api/jobs/" + id + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(poll.get().json().get("version").asLong()).isGreaterThan(v);
        Answer changes = watch.get();
        assertThat(changes.json().get("reset").asBoolean()).isFalse();
        assertThat(changes.json().get("jobs").findValuesAsText("id")).contains(id);
        JsonNode end = followToEnd(c.get(waiter), id);
        assertThat(end.get("state").asText()).isEqualTo("cancelled");
        assertThat(end.has("node")).isFalse();
        JsonNode listed = c.get(waiter).get("/api/nodes").json().get("nodes");
        assertThat(listed.findValuesAsText("id")).containsExactlyInAnyOrder("node-0", "node-1", "node-2");
    }

    @Test
    void jobsOfANodeKilledWithSigkillAreTakenOverAfterTheLeaseAndAllEnd() throws Exception {
        // why: 8 s, not 3: the living nodes' heartbeats (every third of the lease) may come late on a loaded machine, and a
        // living node taken for dead would run its jobs twice; the jobs last 20 s, so the takeover still comes while they run
        List<TestHttp> c = cluster(3, "--lease", "8s");
        List<String> ids = new ArrayList<>();
        // why: long enough that every job is still running when the last of them starts, on a busy machine too
        for (int i = 0; i < 60; i++) ids.add(c.get(i % 3).submitSleep("{\"seconds\":20,\"steps\":20}"));
        await().atMost(Duration.ofSeconds(90)).until(() -> ids.stream().allMatch(id ->
                c.get(0).get("/api/jobs/" + id).json().get("state").asText().equals("running")));
        Map<String, String> nodeOf = new ConcurrentHashMap<>();
        for (String id : ids) nodeOf.put(id, c.get(0).get("/api/jobs/" + id).json().get("node").asText());
        String victim = "node-1";
        nodes.get(1).kill(); // SIGKILL: no drain, no goodbye; its heartbeat simply stops
        for (String id : ids) {
            JsonNode end = followToEnd(c.get(0), id);
            assertThat(end.get("state").asText()).as(id).isEqualTo("succeeded");
            int expected = nodeOf.get(id).equals(victim) ? 2 : 1;
            assertThat(end.get("attempt").asInt()).as(id + " ran on " + nodeOf.get(id)).isEqualTo(expected);
        }
        assertThat(nodeOf.values()).contains(victim);
    }

    @Test
    void theDatabaseRestartedUnderLoadLosesNoAcceptedJobAndWaitersAreAnswered() throws Exception {
        List<TestHttp> c = cluster(3);
        List<String> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean submitting = new AtomicBoolean(true);
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            int i = 0;
            while (submitting.get() && i < 2_000) {
                TestHttp node = c.get(i++ % 3);
                String key = UUID.randomUUID().toString();
                for (int attempt = 0; attempt < 200; attempt++) { // why: 503 while the database is away; the key makes the retry safe
                    Answer a = node.send(HttpRequest.newBuilder(URI.create(node.uri("/api/jobs"))).header("Idempotency-Key", key)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"sleep\",\"params\":{\"seconds\":0.2,\"steps\":2}}")));
                    if (a.status() == 202) {
                        accepted.add(a.json().get("id").asText());
                        break;
                    }
                    assertThat(a.status()).as(a.body()).isEqualTo(503);
                    try {
                        Thread.sleep(100); // why: the load is a client pausing before its retry after a 503, not a wait for a condition
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        String held = c.get(0).submitSleep("{\"seconds\":300,\"steps\":1}");
        await().atMost(Duration.ofSeconds(30)).until(() -> c.get(2).get("/api/jobs/" + held).json().get("state").asText().equals("running"));
        long v = c.get(2).get("/api/jobs/" + held).json().get("version").asLong();
        CompletableFuture<Answer> waiting = c.get(2).getAsync("/api/jobs/" + held + "?after=" + v + "&wait=60s");
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 50);
        PostgresServer.shared().restart();
        int atRestart = accepted.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= atRestart + 50);
        // a change made after the restart reaches the waiter held across it: the nodes listen again
        await().atMost(Duration.ofSeconds(30)).until(() -> c.get(1).post("/api/jobs/" + held + "/cancel", "").status() == 202);
        Answer w = waiting.get();
        assertThat(w.status()).as("a waiter held across the restart is answered").isEqualTo(200);
        assertThat(w.json().get("version").asLong()).isGreaterThan(v);
        submitting.set(false);
        load.get();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> noneActive(c.get(1)));
        for (String id : accepted) {
            JsonNode job = c.get(0).get("/api/jobs/" + id).json();
            assertThat(job.get("state").asText()).as(id).isEqualTo("succeeded");
        }
    }
}
