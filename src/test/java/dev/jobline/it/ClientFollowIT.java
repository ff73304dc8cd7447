package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Following a job with the real jar: pipe lines, JSON lines, a terminal bar, Ctrl-C, a closed port and a server restart. */
@Timeout(240)
class ClientFollowIT {
    @TempDir
    Path dir;

    @Test
    void inAPipeEachChangeIsOneLineAndJsonModeIsOneParseableJobPerLine() throws Exception {
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            Map<String, String> env = Map.of("JOBLINE_URL", server.url());
            ClientRun lines = ClientRun.run(dir, env, "submit", "sleep", "-p", "seconds=0.5", "-p", "steps=5", "--wait");
            assertThat(lines.exitCode()).isZero();
            String id = lines.lines().getFirst();
            // why: a follower may miss intermediate versions (they coalesce), never the end
            assertThat(lines.lines()).anyMatch(l -> l.matches(java.util.regex.Pattern.quote(id) + " (queued|running) +\\d+%.*"));
            assertThat(lines.lines().subList(lines.lines().size() - 2, lines.lines().size()))
                    .containsExactly(id + " succeeded 100%  step 5 of 5", id + " succeeded result {\"slept\":0.5}");
            assertThat(lines.lines()).allMatch(l -> l.equals(id) || l.startsWith(id + " "));
            assertThat(lines.out()).doesNotContain("\r", "\u001b[");

            ClientRun json = ClientRun.run(dir, env, "submit", "sleep", "-p", "seconds=0.5", "-p", "steps=5", "--wait", "--json");
            assertThat(json.exitCode()).isZero();
            List<JsonNode> jobs = new ArrayList<>();
            for (String line : json.lines()) jobs.add(Json.MAPPER.readTree(line));
            assertThat(jobs).extracting(j -> j.get("id").asText()).containsOnly(jobs.getFirst().get("id").asText());
            assertThat(jobs).extracting(j -> j.get("version").asLong()).isSorted().doesNotHaveDuplicates();
            assertThat(jobs.getLast().get("state").asText()).isEqualTo("succeeded");

            ClientRun watched = ClientRun.run(dir, env, "watch", id, "--json");
            assertThat(watched.exitCode()).isZero();
            assertThat(watched.lines()).hasSize(1);
        }
    }

    @Test
    void onATerminalOneLineIsRedrawnAsABarWithPercentNodeMessageElapsedAndEstimate() throws Exception {
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory", "--node-id", "term-node")) {
            String command = "'" + JoblineProcess.java() + "' -jar '" + JoblineProcess.jar() + "' submit sleep -p seconds=2 -p steps=10 --wait";
            // why: script(1) from util-linux runs the command on a pseudo-terminal, as a person's shell would
            ProcessBuilder pb = new ProcessBuilder("script", "-qfec", command, "/dev/null").directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("JOBLINE_URL", server.url());
            pb.environment().put("COLUMNS", "120");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            assertThat(out).contains("\r[", "\u001b[K", "] 100%", "step 10 of 10", " elapsed", " left", "succeeded: result {\"slept\":2}");
            assertThat(out).containsPattern("\\[#{2,}-+]\\s+\\d+%  running on term-node  step \\d+ of 10  0:0\\d elapsed, ~0:0\\d left");
        }
    }

    @Test
    void ctrlCLeavesTheJobRunningUnlessAskedToCancelIt() throws Exception {
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            Map<String, String> env = Map.of("JOBLINE_URL", server.url());
            TestHttp http = new TestHttp(server.url());
            for (boolean cancel : new boolean[] {false, true}) {
                String id = http.submitSleep("{\"seconds\":120}");
                try (ClientRun watch = cancel ? ClientRun.start(dir, env, "watch", id, "--cancel-on-interrupt")
                        : ClientRun.start(dir, env, "watch", id)) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> !watch.lines().isEmpty());
                    watch.interrupt();
                    assertThat(watch.exitCode()).isEqualTo(130);
                    assertThat(watch.err()).contains(cancel ? "cancel job " + id : "keeps running");
                }
                String state = http.get("/api/jobs/" + id).json().get("state").asText();
                assertThat(state).isEqualTo(cancel ? "cancelled" : "running");
            }
        }
    }

    @Test
    void followingSurvivesAServerRestartAndResumesByVersion() throws Exception {
        String url;
        String id;
        ClientRun watch;
        try (JoblineProcess first = JoblineProcess.start(dir, "--port", "0", "--data", "data")) {
            url = first.url();
            TestHttp http = new TestHttp(url);
            id = http.submitSleep("{\"seconds\":8,\"steps\":80}");
            watch = ClientRun.start(dir, Map.of("JOBLINE_URL", url), "watch", id, "--json");
            await().atMost(Duration.ofSeconds(60)).until(() -> watch.lines().size() >= 3);
            assertThat(http.get("/api/jobs/" + id).json().get("state").asText()).as("still running when killed").isEqualTo("running");
            first.kill(); // SIGKILL: the job was running; the next start runs it again as attempt 2
        }
        String port = url.substring(url.lastIndexOf(':') + 1);
        try (JoblineProcess second = JoblineProcess.start(dir, "--port", port, "--data", "data"); watch) {
            assertThat(watch.exitCode()).isZero();
            List<JsonNode> jobs = new ArrayList<>();
            for (String line : watch.lines()) jobs.add(Json.MAPPER.readTree(line));
            assertThat(jobs).extracting(j -> j.get("version").asLong()).isSorted().doesNotHaveDuplicates();
            assertThat(jobs.getFirst().get("attempt").asInt()).isEqualTo(1);
            assertThat(jobs.getLast().get("attempt").asInt()).isEqualTo(2);
            assertThat(jobs.getLast().get("state").asText()).isEqualTo("succeeded");
            assertThat(watch.err()).as("it says that it lost the server and is reconnecting")
                    .contains("jobline: lost " + url + ": ", "; reconnecting (up to 60s)", "reconnected to " + url)
                    .doesNotContainPattern(ClientCommandsIT.CLASS_NAME);
        }
    }

    @Test
    void aFollowWhoseServerDoesNotComeBackGivesUpAfterRetryForWithExitFour() throws Exception {
        String url;
        ClientRun watch;
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            url = server.url();
            String id = new TestHttp(url).submitSleep("{\"seconds\":120}");
            watch = ClientRun.start(dir, Map.of("JOBLINE_URL", url, "JOBLINE_RETRY_FOR", "2s"), "watch", id);
            await().atMost(Duration.ofSeconds(60)).until(() -> !watch.lines().isEmpty());
            server.kill();
        }
        try (watch) {
            assertThat(watch.exitCode()).isEqualTo(4);
            assertThat(watch.err()).contains("jobline: lost " + url + ": ", "reconnecting (up to 2s)", "gave up after 2s")
                    .doesNotContainPattern(ClientCommandsIT.CLASS_NAME);
        }
    }
}
