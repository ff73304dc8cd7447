package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delays, retries, timeouts, checkpoints and queue limits on the real jar: on one node with its
 * SQLite file, and on three nodes sharing a real PostgreSQL.
 */
@Timeout(300)
class FlowIT {
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    @TempDir
    Path dir;

    private final List<JoblineProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(JoblineProcess::close);
    }

    private void script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Commands the tests submit: one that fails twice, one that never ends, one that checkpoints and waits. */
    private Path commands() throws Exception {
        script("flaky.sh", "if [ \"$JOBLINE_ATTEMPT\" -lt 3 ]; then echo \"attempt $JOBLINE_ATTEMPT failed\" >&2; exit 1; fi\n"
                + "echo 'result {\"attempt\": '\"$JOBLINE_ATTEMPT\"'}'");
        script("stuck.sh", "sleep 30");
        script("resumable.sh", "if [ -n \"$JOBLINE_CHECKPOINT\" ]; then echo \"result $JOBLINE_CHECKPOINT\"; exit 0; fi\n"
                + "echo 'checkpoint {\"step\": 7}'\nsleep 20");
        Path file = dir.resolve("commands.json");
        Files.writeString(file, """
                {"commands": [
                  {"name": "flaky", "run": ["./flaky.sh"], "retry": {"maxAttempts": 3, "backoff": "100ms"}},
                  {"name": "stuck", "run": ["./stuck.sh"], "grace": "1s"},
                  {"name": "resumable", "run": ["./resumable.sh"], "restartable": true, "grace": "1s"}
                ]}
                """);
        return file;
    }

    private JoblineProcess start(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", "0", "--commands", commands().toString()));
        all.addAll(List.of(args));
        JoblineProcess p = JoblineProcess.start(dir, all.toArray(String[]::new));
        nodes.add(p);
        return p;
    }

    private List<TestHttp> cluster(int n, String... extra) throws Exception {
        String url = PostgresServer.shared().newDatabase();
        commands();
        List<CompletableFuture<JoblineProcess>> starting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> args = new ArrayList<>(List.of("--port", "0", "--store", "postgres", "--db-url", url, "--node-id", "node-" + i,
                    "--lease", "3s", "--commands", dir.resolve("commands.json").toString()));
            args.addAll(List.of(extra));
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return JoblineProcess.start(dir, args.toArray(String[]::new));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        List<TestHttp> clients = new ArrayList<>();
        for (CompletableFuture<JoblineProcess> f : starting) {
            nodes.add(f.join());
            clients.add(new TestHttp(nodes.getLast().url()));
        }
        return clients;
    }

    private static String submit(TestHttp http, String body) {
        Answer a = http.post("/api/jobs", body);
        if (a.status() != 202) throw new AssertionError("submit answered " + a.status() + ": " + a.body());
        return a.json().get("id").asText();
    }

    private static JsonNode followToEnd(TestHttp http, String id) {
        long v = 0;
        JsonNode job;
        do {
            job = http.get("/api/jobs/" + id + "?after=" + v + "&wait=20s").json();
            v = job.get("version").asLong();
        } while (!TERMINAL.contains(job.get("state").asText()));
        return job;
    }

    private static void aDelayedJobStartsAtItsTime(TestHttp submitTo, TestHttp followOn) {
        String id = submit(submitTo, "{\"type\": \"sleep\", \"params\": {\"seconds\": 0}, \"delay\": \"2s\"}");
        JsonNode queued = followOn.get("/api/jobs/" + id).json();
        Instant due = Instant.parse(queued.get("runAt").asText());
        if (Instant.now().isBefore(due.minusMillis(200))) { // why: a busy machine may answer after the delay has passed
            assertThat(queued.get("state").asText()).isEqualTo("queued");
        }
        JsonNode done = followToEnd(followOn, id);
        Instant runAt = Instant.parse(done.get("runAt").asText());
        Instant started = Instant.parse(done.get("startedAt").asText());
        // why: how soon after its time it starts is a speed goal, measured by the bench (scenario 9), not asserted here
        assertThat(started).as("started at its time, not before").isAfterOrEqualTo(runAt);
    }

    private static void aRetryReachesSuccessOnItsThirdAttempt(TestHttp http) {
        JsonNode done = followToEnd(http, submit(http, "{\"type\": \"flaky\"}"));
        assertThat(done.get("state").asText()).isEqualTo("succeeded");
        assertThat(done.get("attempt").asInt()).isEqualTo(3);
        assertThat(done.get("retry").get("maxAttempts").asInt()).as("the command's default retry").isEqualTo(3);
        assertThat(done.get("errors")).hasSize(2);
        assertThat(done.get("errors").get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(done.get("errors").get(1).get("error").get("message").asText()).contains("attempt 2 failed");
        assertThat(done.get("result").get("attempt").asInt()).isEqualTo(3);
    }

    private static void anAttemptPastItsTimeoutFails(TestHttp http) {
        JsonNode done = followToEnd(http, submit(http, "{\"type\": \"stuck\", \"timeout\": \"1s\"}"));
        assertThat(done.get("state").asText()).isEqualTo("failed");
        assertThat(done.get("error").get("type").asText()).isEqualTo("timeout");
        assertThat(Duration.between(Instant.parse(done.get("startedAt").asText()), Instant.parse(done.get("finishedAt").asText())))
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    private static String checkpointed(TestHttp http) {
        String id = submit(http, "{\"type\": \"resumable\"}");
        // why: the claim makes version 2; the checkpoint is the next change of a job that reports nothing else
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode j = http.get("/api/jobs/" + id).json();
            return j.get("state").asText().equals("running") && j.get("version").asLong() >= 3;
        });
        return id;
    }

    private static void resumedFromItsCheckpoint(TestHttp http, String id) {
        JsonNode done = followToEnd(http, id);
        assertThat(done.get("state").asText()).isEqualTo("succeeded");
        assertThat(done.get("attempt").asInt()).isEqualTo(2);
        assertThat(done.get("result").get("step").asInt()).isEqualTo(7);
    }

    @Test
    void onOneNodeWithSqlite() throws Exception {
        JoblineProcess p = start("--data", "data");
        TestHttp http = new TestHttp(p.url());
        aDelayedJobStartsAtItsTime(http, http);
        aRetryReachesSuccessOnItsThirdAttempt(http);
        anAttemptPastItsTimeoutFails(http);
        String id = checkpointed(http);
        p.kill();
        nodes.remove(p);
        JoblineProcess again = start("--data", "data");
        resumedFromItsCheckpoint(new TestHttp(again.url()), id);
    }

    @Test
    void onThreeNodesWithPostgres() throws Exception {
        List<TestHttp> c = cluster(3, "--queues", "q=2");
        aDelayedJobStartsAtItsTime(c.get(0), c.get(1));
        aRetryReachesSuccessOnItsThirdAttempt(c.get(1));
        anAttemptPastItsTimeoutFails(c.get(2));

        List<String> inQueue = new ArrayList<>();
        for (int i = 0; i < 12; i++) inQueue.add(submit(c.get(i % 3), "{\"type\": \"sleep\", \"params\": {\"seconds\": 0.3}, \"queue\": \"q\"}"));
        int most = 0;
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            int running = 0;
            int ended = 0;
            for (JsonNode j : c.get(0).get("/api/jobs?limit=100").json().get("jobs")) {
                if (!inQueue.contains(j.get("id").asText())) continue;
                if (j.get("state").asText().equals("running")) running++;
                if (TERMINAL.contains(j.get("state").asText())) ended++;
            }
            most = Math.max(most, running);
            assertThat(running).as("jobs of queue q running at once over three nodes").isLessThanOrEqualTo(2);
            if (ended == inQueue.size()) break;
        }
        assertThat(most).as("the queue did run two at once").isEqualTo(2);
        // why: followed on another node, not read once: its view trails the commit of the last end by its feed
        for (String id : inQueue) assertThat(followToEnd(c.get(1), id).get("state").asText()).isEqualTo("succeeded");

        String id = checkpointed(c.get(0));
        String runsOn = c.get(0).get("/api/jobs/" + id).json().get("node").asText();
        int k = Integer.parseInt(runsOn.substring("node-".length()));
        nodes.get(k).kill();
        resumedFromItsCheckpoint(c.get((k + 1) % 3), id);
    }
}
