package dev.jobline.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.Config;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import dev.jobline.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Declared commands through the real server over HTTP on port 0, running real bash scripts. */
@Timeout(90)
class CommandsHttpTest {
    private static final String ARGS = "echo \"result {\\\"argv\\\": $(jq -cn '$ARGS.positional' --args -- \"$@\")}\"\n";
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    @TempDir
    Path dir;

    private final String marker = Scripts.marker();
    private Jobline jobline;
    private TestHttp http;

    @BeforeEach
    void start() throws Exception {
        Path echo = Scripts.script(dir, "args.sh", ARGS);
        // why: the script ignores nothing, but its grandchild ignores SIGTERM, so only the SIGKILL after the grace ends it
        Path hold = Scripts.script(dir, "hold.sh", "(trap '' TERM; exec sleep " + marker + ") &\necho 'progress 1 started'\nwait\n");
        Path commands = Scripts.commandsFile(dir, """
                {"name": "args", "description": "prints its arguments", "run": ["%s", "--name", "{name}", "{count}", "{flag}",
                  "{items}", "--name={name}", "literal {name}", "{maybe}"],
                 "params": {"type": "object", "required": ["name"], "additionalProperties": false, "properties": {
                   "name": {"type": "string", "maxLength": 200}, "count": {"type": "integer", "default": 2},
                   "flag": {"type": "boolean", "default": false}, "items": {"type": "array"}, "maybe": {"type": "string"},
                   "db": {"type": "string", "pattern": "^[a-z_]{1,32}$"}}}}""".formatted(echo),
                "{\"name\": \"hold\", \"run\": [\"" + hold + "\"], \"grace\": \"1s\"}");
        jobline = Jobline.start(Config.parse(new String[] {"--port", "0", "--store", "memory", "--grace", "0s",
                "--progress-flush", "10ms", "--commands", commands.toString()}, Map.of()));
        http = new TestHttp(jobline.url());
    }

    @AfterEach
    void stop() {
        if (jobline != null) jobline.close();
    }

    private String submit(String type, String params) {
        TestHttp.Answer a = http.post("/api/jobs", "{\"type\": \"" + type + "\", \"params\": " + params + "}");
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        return a.json().get("id").asText();
    }

    /** Long-polls the job until {@code until} holds. */
    private JsonNode await(String id, Predicate<JsonNode> until) {
        long v = 0;
        for (int i = 0; i < 200; i++) {
            JsonNode job = http.get("/api/jobs/" + id + "?after=" + v + "&wait=10s").json();
            if (until.test(job)) return job;
            v = job.get("version").asLong();
        }
        throw new AssertionError("job " + id + " never got there");
    }

    private List<String> argv(String params) {
        JsonNode job = await(submit("args", params), j -> TERMINAL.contains(j.get("state").asText()));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
        return Json.MAPPER.convertValue(job.get("result").get("argv"), List.class);
    }

    @Test
    void eachCommandIsAJobTypeWithItsParamsSchema() {
        JsonNode types = http.get("/api/types").json();
        assertThat(types.toString()).contains("\"args\"", "prints its arguments", "\"hold\"", "\"sleep\"", "\"pattern\":\"^[a-z_]{1,32}$\"");
    }

    @Test
    void paramsBecomeWholeArgumentsAndShellSyntaxReachesTheProgramInertly() {
        String nasty = "x; rm -rf / $(id) `id` && echo pwned | cat > /tmp/pwned; ${HOME} 'q' \"dq\" \\ *";
        assertThat(argv("{\"name\": " + Json.MAPPER.valueToTree(nasty) + ", \"count\": 5.0, \"flag\": true, "
                + "\"items\": [\"a b\", \"--flag\", \"$(id)\", \"*\", \"\", 7, {\"k\": \"v\"}]}"))
                .containsExactly("--name", nasty, "5", "true", "a b", "--flag", "$(id)", "*", "", "7", "{\"k\":\"v\"}",
                        "--name={name}", "literal {name}");
        assertThat(argv("{\"name\": \"--help\", \"maybe\": \"-rf\"}"))
                .as("a value starting with '-' is one argument where its placeholder stands")
                .containsExactly("--name", "--help", "2", "false", "--name={name}", "literal {name}", "-rf");
        assertThat(argv("{\"name\": \"two\\nlines\"}")).startsWith("--name", "two\nlines");
    }

    @Test
    void paramsOutsideTheSchemaAndUndeclaredTypesAreRefused() {
        for (String[] bad : new String[][] {
                {"{\"type\": \"/bin/sh\", \"params\": {\"name\": \"x\"}}", "unknown job type '/bin/sh'"},
                {"{\"type\": \"bash\", \"params\": {}}", "unknown job type 'bash'"},
                {"{\"type\": \"args\", \"params\": {\"name\": \"x\", \"run\": [\"/bin/sh\"]}}", "params.run is not a parameter of this job type"},
                {"{\"type\": \"args\", \"params\": {\"name\": [\"a\", \"b\"]}}", "params.name must be a string"},
                {"{\"type\": \"args\", \"params\": {\"name\": \"x\", \"count\": \"5; id\"}}", "params.count must be an integer"},
                {"{\"type\": \"args\", \"params\": {\"name\": \"x\", \"db\": \"a;id\"}}", "params.db must match the pattern ^[a-z_]{1,32}$"},
                {"{\"type\": \"args\", \"params\": {}}", "params.name is required"}}) {
            TestHttp.Answer a = http.post("/api/jobs", bad[0]);
            assertThat(a.status()).as(a.body()).isEqualTo(422);
            assertThat(a.json().get("detail").asText()).as(bad[0]).contains(bad[1]);
        }
    }

    @Test
    void aCancelEndsEveryProcessOfTheCommandsGroupBeforeTheJobIsCancelled() {
        String id = submit("hold", "{}");
        await(id, j -> j.path("progress").path("percent").asDouble() == 1);
        // why: the script reports progress before its background child has surely exec'd sleep
        Awaitility.await("the grandchild runs").atMost(Duration.ofSeconds(20)).until(() -> Scripts.running(marker));
        assertThat(http.post("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(202);
        JsonNode job = await(id, j -> TERMINAL.contains(j.get("state").asText()));
        assertThat(job.get("state").asText()).isEqualTo("cancelled");
        assertThat(Scripts.running(marker)).as("a process of the group is left after the cancel").isFalse();
    }

    @Test
    void stoppingTheServerEndsTheGroupsOfTheCommandsStillRunning() {
        String id = submit("hold", "{}");
        await(id, j -> j.path("progress").path("percent").asDouble() == 1);
        Awaitility.await("the grandchild runs").atMost(Duration.ofSeconds(20)).until(() -> Scripts.running(marker));
        jobline.close();
        assertThat(Scripts.running(marker)).as("a process of the group outlived the server").isFalse();
    }
}
