package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nothing accepted is lost: the real jar on a real SQLite file, killed and restarted. */
@Timeout(300)
class CrashRecoveryIT {
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    @TempDir
    Path dir;

    private static JsonNode get(TestHttp http, String id) {
        return http.get("/api/jobs/" + id).json();
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

    @Test
    void afterSigkillEveryAcceptedJobIsThereNoneWentBackAndTheInterruptedOnesFinish() throws Exception {
        List<String> shortJobs = new ArrayList<>();
        List<String> longJobs = new ArrayList<>();
        Map<String, JsonNode> before = new HashMap<>();
        String cursor;
        try (JoblineProcess p = JoblineProcess.start(dir, "--port", "0", "--data", "data", "--max-running", "8")) {
            TestHttp http = new TestHttp(p.url());
            cursor = http.get("/api/jobs").json().get("cursor").asText();
            for (int i = 0; i < 6; i++) shortJobs.add(http.submitSleep("{\"seconds\":0.2,\"steps\":4}"));
            for (int i = 0; i < 6; i++) longJobs.add(http.submitSleep("{\"seconds\":4,\"steps\":40}"));
            for (int i = 0; i < 20; i++) longJobs.add(http.submitSleep("{\"seconds\":1,\"steps\":10}")); // queued behind
            for (String id : shortJobs) followToEnd(http, id);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    longJobs.stream().limit(6).allMatch(id -> get(http, id).get("progress").get("percent").asDouble() >= 10));
            for (String id : shortJobs) before.put(id, get(http, id));
            for (String id : longJobs) before.put(id, get(http, id));
            p.kill();
        }
        try (JoblineProcess p = JoblineProcess.start(dir, "--port", "0", "--data", "data", "--max-running", "8")) {
            TestHttp http = new TestHttp(p.url());
            for (String id : shortJobs) {
                JsonNode now = get(http, id);
                assertThat(now).as("finished job %s unchanged", id).isEqualTo(before.get(id));
            }
            Map<String, JsonNode> atRestart = new HashMap<>();
            for (String id : longJobs) {
                JsonNode now = get(http, id);
                assertThat(now).as("accepted job %s still there", id).isNotNull();
                assertThat(now.get("version").asLong()).as("version of %s", id)
                        .isGreaterThanOrEqualTo(before.get(id).get("version").asLong());
                atRestart.put(id, now);
            }
            for (String id : longJobs) {
                JsonNode end = followToEnd(http, id);
                assertThat(end.get("state").asText()).isEqualTo("succeeded");
                // why: a job seen running may still have finished before the kill; only an interrupted one runs again
                boolean interrupted = before.get(id).get("state").asText().equals("running")
                        && !TERMINAL.contains(atRestart.get(id).get("state").asText());
                if (interrupted) assertThat(end.get("attempt").asInt()).as("attempt of %s", id).isEqualTo(2);
            }
            JsonNode watch = http.get("/api/jobs?after=" + cursor + "&wait=1s&limit=1000").json();
            assertThat(watch.get("reset").asBoolean()).isFalse();
            assertThat(watch.get("jobs")).hasSize(shortJobs.size() + longJobs.size());
        }
    }

    @Test
    void sigtermDrainsShortJobsAndLeavesLongOnesToRunAgain() throws Exception {
        List<String> shortJobs = new ArrayList<>();
        String longJob;
        try (JoblineProcess p = JoblineProcess.start(dir, "--port", "0", "--data", "data", "--grace", "5s")) {
            TestHttp http = new TestHttp(p.url());
            for (int i = 0; i < 5; i++) shortJobs.add(http.submitSleep("{\"seconds\":1.5,\"steps\":3}"));
            longJob = http.submitSleep("{\"seconds\":60,\"steps\":60}");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    shortJobs.stream().allMatch(id -> get(http, id).get("state").asText().equals("running"))
                            && get(http, longJob).get("state").asText().equals("running"));
            assertThat(p.terminate(60)).isIn(0, 143);
            assertThat(p.stderr()).doesNotContain("Exception");
        }
        try (JoblineProcess p = JoblineProcess.start(dir, "--port", "0", "--data", "data")) {
            TestHttp http = new TestHttp(p.url());
            for (String id : shortJobs) {
                JsonNode job = get(http, id);
                assertThat(job.get("state").asText()).as("drained job %s", id).isEqualTo("succeeded");
                assertThat(job.get("attempt").asInt()).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> get(http, longJob).get("state").asText().equals("running"));
            JsonNode again = get(http, longJob);
            assertThat(again.get("attempt").asInt()).isEqualTo(2);
            assertThat(http.post("/api/jobs/" + longJob + "/cancel", "").status()).isEqualTo(202);
            assertThat(followToEnd(http, longJob).get("state").asText()).isEqualTo("cancelled");
        }
    }
}
