package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every client command of the real jar against a real server, and the exit codes a script branches on. */
@Timeout(180)
class ClientCommandsIT {
    static final String NODE = "test-node-1";

    @TempDir
    static Path dir;

    static JoblineProcess server;
    static Map<String, String> env;
    static TestHttp http;

    @BeforeAll
    static void startServer() throws Exception {
        server = JoblineProcess.start(dir, "--port", "0", "--store", "memory", "--node-id", NODE);
        env = Map.of("JOBLINE_URL", server.url());
        http = new TestHttp(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static ClientRun jobline(String... args) throws Exception {
        return ClientRun.run(dir, env, args);
    }

    @Test
    void submitPrintsTheIdWithParamsTypedAndWaitExitsZeroWhenTheJobSucceeds() throws Exception {
        ClientRun submit = jobline("submit", "sleep", "-p", "seconds=0", "-p", "steps=2", "--params-json", "{\"seconds\": 9}");
        assertThat(submit.exitCode()).isZero();
        String id = submit.out().strip();
        JsonNode job = http.get("/api/jobs/" + id).json();
        assertThat(job.get("params").get("seconds").isNumber()).isTrue();
        assertThat(job.get("params").get("seconds").asDouble()).isZero(); // -p is laid over --params-json
        assertThat(job.get("params").get("steps").isIntegralNumber()).isTrue();

        ClientRun waited = jobline("submit", "sleep", "-p", "seconds=0.2", "-p", "steps=2", "--wait");
        assertThat(waited.exitCode()).isZero();
        assertThat(waited.lines().getLast()).endsWith("succeeded result {\"slept\":0.2}");
    }

    @Test
    void aFailedJobExitsOneAndACancelledOneTwo() throws Exception {
        ClientRun failed = jobline("submit", "sleep", "-p", "seconds=0.2", "-p", "failAt=50", "--wait");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.lines().getLast()).contains("failed error: failed at 50");

        String id = jobline("submit", "sleep", "-p", "seconds=120").out().strip();
        try (ClientRun watch = ClientRun.start(dir, env, "watch", id)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !watch.lines().isEmpty());
            ClientRun cancel = jobline("cancel", id);
            assertThat(cancel.exitCode()).isZero();
            assertThat(cancel.out()).startsWith(id + " ");
            assertThat(watch.exitCode()).isEqualTo(2);
            assertThat(watch.lines().getLast()).contains(id + " cancelled");
        }
        ClientRun again = jobline("cancel", id);
        assertThat(again.exitCode()).as("cancelling a finished job is a 409 conflict").isEqualTo(1);
        assertThat(again.err()).contains("409");
    }

    @Test
    void logPrintsAJobsKeptLinesAndFollowsThemToItsEndWithItsExitCode() throws Exception {
        String id = jobline("submit", "sleep", "-p", "seconds=1", "-p", "steps=4").out().strip();
        ClientRun follow = jobline("log", id, "--follow");
        assertThat(follow.exitCode()).isZero();
        assertThat(follow.lines()).containsExactly("sleeping 1 s in 4 steps", "slept 1 s");
        ClientRun kept = jobline("log", id);
        assertThat(kept.exitCode()).isZero();
        assertThat(kept.lines()).containsExactly("sleeping 1 s in 4 steps", "slept 1 s");
        JsonNode first = Json.MAPPER.readTree(jobline("log", id, "--json").lines().getFirst());
        assertThat(first.get("n").asLong()).isEqualTo(1);
        assertThat(first.get("stream").asText()).isEqualTo("log");

        String failing = jobline("submit", "sleep", "-p", "seconds=0.4", "-p", "failAt=50").out().strip();
        ClientRun failed = jobline("log", failing, "-f");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.lines()).containsExactly("sleeping 0.4 s in 100 steps");
        assertThat(jobline("log", "no-such-job").exitCode()).isEqualTo(5);
    }

    @Test
    void watchWithLogPrintsTheLogLinesAmongTheJobsLinesInAPipeAndTheEndLast() throws Exception {
        String id = jobline("submit", "sleep", "-p", "seconds=0.5", "-p", "steps=2").out().strip();
        ClientRun watch = jobline("watch", id, "--log");
        assertThat(watch.exitCode()).isZero();
        assertThat(watch.lines()).contains("sleeping 0.5 s in 2 steps", "slept 0.5 s");
        assertThat(watch.lines().indexOf("slept 0.5 s")).isLessThan(watch.lines().size() - 1);
        assertThat(watch.lines().getLast()).isEqualTo(id + " succeeded result {\"slept\":0.5}");
    }

    @Test
    void usageErrorsExitThree() throws Exception {
        assertThat(jobline("submit").exitCode()).isEqualTo(3);
        assertThat(jobline("submit", "sleep", "--no-such-option").exitCode()).isEqualTo(3);
        assertThat(jobline("submit", "sleep", "--params-json", "[1]").exitCode()).isEqualTo(3);
        assertThat(jobline("submit", "no-such-type").exitCode()).isEqualTo(3);
        ClientRun badParam = jobline("submit", "sleep", "-p", "seconds=soon");
        assertThat(badParam.exitCode()).isEqualTo(3);
        assertThat(badParam.err()).contains("seconds");
        assertThat(jobline("list", "--state", "sleepy").exitCode()).isEqualTo(3);
        assertThat(jobline("get", "x", "--url", "not a url").exitCode()).isEqualTo(3);
    }

    static String closedPortUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    /** What no message meant for a person may hold: a Java class name such as ConnectException. */
    static final String CLASS_NAME = "\\b[A-Z][A-Za-z]*(Exception|Error)\\b|java\\.";

    // why: the default --retry-for is 60s; a @Timeout far below it shows that nothing waits for it
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"list", "get x", "submit sleep", "cancel x", "delete x", "types", "watch x", "nodes", "log x", "schedules"})
    @Timeout(20)
    void aCommandWhoseServerIsNotThereExitsFourAtOnceSayingTheConnectionWasRefused(String command) throws Exception {
        String url = closedPortUrl();
        try (ClientRun r = ClientRun.start(dir, Map.of("JOBLINE_URL", url), command.split(" "))) {
            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.err()).contains("cannot reach " + url + ": connection refused").doesNotContainPattern(CLASS_NAME);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    @Timeout(20)
    void aCommandWhoseHostDoesNotExistExitsFourSayingThereIsNoSuchHost() throws Exception {
        try (ClientRun r = ClientRun.start(dir, Map.of(), "list", "--url", "http://no-such-host.invalid:7070")) {
            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.err()).contains("no such host").doesNotContainPattern(CLASS_NAME);
        }
    }

    @Test
    void anUnknownIdExitsFive() throws Exception {
        for (String command : new String[] {"get", "watch", "cancel", "delete"}) {
            ClientRun r = jobline(command, "no-such-job");
            assertThat(r.exitCode()).as(command).isEqualTo(5);
            assertThat(r.err()).as(command).contains("no-such-job");
        }
    }

    @Test
    void listGetDeleteAndTypesShowWhatTheRoutesAnswer() throws Exception {
        String id = jobline("submit", "sleep", "-p", "seconds=0").out().strip();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("succeeded"));
        assertThat(jobline("list").out()).contains(id + "  sleep      succeeded  100%");
        assertThat(jobline("list", "--state", "queued,running").out()).doesNotContain(id);
        JsonNode listing = Json.MAPPER.readTree(jobline("list", "--json", "--state", "succeeded").out());
        assertThat(listing.get("jobs").findValuesAsText("id")).contains(id);
        assertThat(Json.MAPPER.readTree(jobline("get", id).out()).get("state").asText()).isEqualTo("succeeded");

        String running = jobline("submit", "sleep", "-p", "seconds=120").out().strip();
        assertThat(jobline("delete", running).exitCode()).as("deleting a live job is a 409").isEqualTo(1);
        assertThat(jobline("cancel", running, "--json").exitCode()).isZero();
        ClientRun delete = jobline("delete", id);
        assertThat(delete.exitCode()).isZero();
        assertThat(delete.out()).isEmpty();
        assertThat(jobline("get", id).exitCode()).isEqualTo(5);

        assertThat(jobline("types").out()).contains("sleep  Sleeps").contains("    seconds (number)");
        assertThat(Json.MAPPER.readTree(jobline("types", "--json").out()).get(0).get("name").asText()).isEqualTo("sleep");
    }

    @Test
    void listAndWatchShowTheNodeThatRunsAJobAndNothingOnceItEnded() throws Exception {
        String id = jobline("submit", "sleep", "-p", "seconds=120").out().strip();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("running"));
        assertThat(jobline("list").lines()).filteredOn(l -> l.startsWith(id)).singleElement().asString()
                .contains(" running ").endsWith("  " + NODE);
        try (ClientRun watch = ClientRun.start(dir, env, "watch", id)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !watch.lines().isEmpty());
            assertThat(watch.lines().getFirst()).startsWith(id + " running ").endsWith("  on " + NODE);
            jobline("cancel", id);
            assertThat(watch.exitCode()).isEqualTo(2);
        }
        String ended = jobline("list").lines().stream().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(ended).contains(" cancelled ").doesNotContain(NODE);
    }

    @Test
    void nodesListsTheNodesWithTheirRunningJobsAndJsonPrintsTheServersAnswer() throws Exception {
        ClientRun nodes = jobline("nodes");
        assertThat(nodes.exitCode()).isZero();
        assertThat(nodes.lines().getFirst()).startsWith("NODE").contains("RUNNING", "DRAINING", "LAST HEARTBEAT");
        assertThat(nodes.lines()).anySatisfy(l -> assertThat(l).matches(NODE + " +\\d+  no +\\d+s ago"));
        JsonNode json = Json.MAPPER.readTree(jobline("nodes", "--json").out());
        assertThat(json.get("nodes").findValuesAsText("id")).containsExactly(NODE);
        assertThat(json.get("nodes").get(0).has("heartbeatAt")).isTrue();
    }

    @Test
    void nodesWithAUsersTokenIsRefusedAsAUsageErrorAndWorksWithAnAdmins() throws Exception {
        try (JoblineProcess secured = JoblineProcess.start(dir, Map.of("JOBLINE_TOKENS", "alice user s3cret-alice\nroot admin s3cret-root"),
                "--port", "0", "--store", "memory", "--node-id", "secured-node")) {
            ClientRun user = ClientRun.run(dir, Map.of("JOBLINE_URL", secured.url(), "JOBLINE_TOKEN", "s3cret-alice"), "nodes");
            assertThat(user.exitCode()).as("403: this token may not do that").isEqualTo(3);
            assertThat(user.err()).contains("admin token (403)");
            assertThat(user.out()).isEmpty();
            ClientRun admin = ClientRun.run(dir, Map.of("JOBLINE_URL", secured.url(), "JOBLINE_TOKEN", "s3cret-root"), "nodes");
            assertThat(admin.exitCode()).isZero();
            assertThat(admin.out()).contains("secured-node");
        }
    }

    @Test
    void theTokenFromJoblineTokenIsSentAsABearerToken() throws Exception {
        try (JoblineProcess secured = JoblineProcess.start(dir, Map.of("JOBLINE_TOKENS", "alice user s3cret-alice"),
                "--port", "0", "--store", "memory")) {
            ClientRun without = ClientRun.run(dir, Map.of("JOBLINE_URL", secured.url()), "list");
            assertThat(without.exitCode()).as("401 is a usage error: the token is missing").isEqualTo(3);
            assertThat(without.err()).contains("401");
            Map<String, String> withToken = Map.of("JOBLINE_URL", secured.url(), "JOBLINE_TOKEN", "s3cret-alice");
            ClientRun submit = ClientRun.run(dir, withToken, "submit", "sleep", "-p", "seconds=0", "--wait");
            assertThat(submit.exitCode()).isZero();
            assertThat(ClientRun.run(dir, withToken, "list").out()).contains(submit.lines().getFirst());
        }
    }

    @Test
    void helpListsTheServerOptionsTheirEnvironmentVariablesAndTheCommands() throws Exception {
        for (String[] args : new String[][] {{"--help"}, {"serve", "--help"}}) {
            ClientRun help = jobline(args);
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("--max-wait", "--store", "--tokens", "JOBLINE_", "submit", "watch", "List the nodes", "Exit codes");
        }
        ClientRun submitHelp = jobline("submit", "--help");
        assertThat(submitHelp.exitCode()).isZero();
        assertThat(submitHelp.out()).contains("--params-json", "--wait", "--url", "JOBLINE_URL", "--cancel-on-interrupt");
    }

    @Test
    void uploadPrintsTheUploadIdAndSubmitWithFileUploadsAndStartsTheJobOnIt() throws Exception {
        Path file = dir.resolve("fruit.csv");
        java.nio.file.Files.writeString(file, "name,count\napples,3\n");
        ClientRun upload = jobline("upload", file.toString());
        assertThat(upload.exitCode()).as(upload.err()).isZero();
        JsonNode meta = http.get("/api/uploads/" + upload.out().strip()).json();
        assertThat(meta.get("name").asText()).isEqualTo("fruit.csv");
        assertThat(meta.get("size").asLong()).isEqualTo(20);

        ClientRun digest = jobline("submit", "digest", "--file", file.toString(), "--params-json", "{\"algorithms\":[\"md5\"]}", "--wait");
        assertThat(digest.exitCode()).as(digest.err()).isZero();
        String id = digest.lines().getFirst().strip();
        JsonNode job = http.get("/api/jobs/" + id).json();
        assertThat(job.get("result").get("md5").asText()).isEqualTo(
                java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(java.nio.file.Files.readAllBytes(file))));
        assertThat(job.get("result").get("lines").asInt()).isEqualTo(2);
        assertThat(digest.lines().getLast()).contains("succeeded result");

        ClientRun missing = jobline("upload", dir.resolve("no-such-file").toString());
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("no-such-file");
    }
}
