package dev.jobline.commands;

import static dev.jobline.commands.Scripts.Recorded.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.job.JobFailedException;
import dev.jobline.job.JobType;
import dev.jobline.job.ParamsSchema;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A declared command's handler running real bash scripts. */
@Timeout(60)
class CommandJobTest {
    private static final Map<String, String> SERVER_ENV = Map.of("PATH", System.getenv("PATH"), "HOME", "/home/jobline",
            "LANG", "C.UTF-8", "JOBLINE_TOKENS", "alice admin s3cret", "JOBLINE_CALLBACK_SECRET", "hmac-key", "AWS_SECRET_ACCESS_KEY", "x");

    @TempDir
    Path dir;

    private JobType type(String body, String extra) throws Exception {
        Path script = Scripts.script(dir, "job.sh", body);
        Path file = Scripts.commandsFile(dir, "{\"name\": \"job\", \"run\": [\"" + script + "\"]" + extra + "}");
        return Commands.load(file, Set.of(), SERVER_ENV).types().getFirst();
    }

    private static Object run(JobType t, Scripts.Recorded ctx, String params) throws Exception {
        return t.handler().run(ctx, ParamsSchema.validate(t.paramsSchema(), json(params)));
    }

    @Test
    void anUploadParamReachesTheProgramAsTheAbsolutePathOfItsFile() throws Exception {
        Path upload = java.nio.file.Files.writeString(dir.resolve("stored-as-id"), "two\nlines\n");
        Path script = Scripts.script(dir, "count.sh", "echo \"result {\\\"lines\\\": $(wc -l < \"$1\"), \\\"path\\\": \\\"$1\\\"}\"\n");
        Path file = Scripts.commandsFile(dir, "{\"name\": \"count\", \"run\": [\"" + script + "\", \"{f}\"], \"params\": {\"type\": \"object\","
                + " \"properties\": {\"f\": {\"type\": \"string\", \"format\": \"upload\"}}, \"required\": [\"f\"]}}");
        JobType count = Commands.load(file, Set.of(), SERVER_ENV).types().getFirst();
        Scripts.Recorded ctx = new Scripts.Recorded();
        ctx.uploads.put("u-1", upload.toAbsolutePath());
        Object result = run(count, ctx, "{\"f\": \"u-1\"}");
        assertThat(result).isEqualTo(json("{\"lines\": 2, \"path\": \"" + upload.toAbsolutePath() + "\"}"));
    }

    @Test
    void progressLinesAResultLineAndLogLinesFromBothStreamsReachTheJob() throws Exception {
        JobType t = type("""
                echo 'progress 10'
                echo 'progress 42.5 half way there'
                echo 'progress 3/10 three of ten'
                echo 'hello on stdout'
                echo 'a warning on stderr' >&2
                echo 'result {"n": 1}'
                echo 'progress 1/0 no total'
                echo 'result {not json'
                echo 'result {"n": 3, "files": ["a", "b"]}'
                printf 'no newline at the end'
                """, "");
        Scripts.Recorded ctx = new Scripts.Recorded();
        Object result = run(t, ctx, "{}");
        assertThat(result).isEqualTo(json("{\"n\": 3, \"files\": [\"a\", \"b\"]}"));
        assertThat(ctx.progress).containsExactly("10.0 null", "42.5 half way there", "3/10 three of ten");
        assertThat(ctx.log).contains("stdout: hello on stdout", "stderr: a warning on stderr", "stdout: progress 1/0 no total",
                "stdout: result {not json", "stdout: no newline at the end");
        assertThat(ctx.log).anyMatch(l -> l.startsWith("log: the line above is not a report: a result line must hold JSON"));
    }

    @Test
    void aParamHoldingANulCharacterFailsTheJobBeforeAnythingRuns() throws Exception {
        Path script = Scripts.script(dir, "nul.sh", "exit 0\n");
        Path file = Scripts.commandsFile(dir, "{\"name\": \"nul\", \"run\": [\"" + script + "\", \"{s}\"], "
                + "\"params\": {\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\"}}}}");
        JobType t = Commands.load(file, Set.of(), SERVER_ENV).types().getFirst();
        assertThatThrownBy(() -> run(t, new Scripts.Recorded(), "{\"s\": \"a\\u0000b\"}")).isInstanceOfSatisfying(JobFailedException.class,
                e -> assertThat(e.getMessage()).isEqualTo("params.s holds a NUL character, which no program can take in an argument"));
    }

    @Test
    void aProgramThatPrintsNoResultSucceedsWithItsExitCode() throws Exception {
        assertThat(run(type("exit 0\n", ""), new Scripts.Recorded(), "{}")).isEqualTo(Map.of("exitCode", 0));
    }

    @Test
    void aFailureCarriesTheLastTwentyLinesOfStandardError() throws Exception {
        JobType t = type("for i in $(seq 1 30); do echo \"problem $i\" >&2; done\nexit 3\n", "");
        assertThatThrownBy(() -> run(t, new Scripts.Recorded(), "{}")).isInstanceOfSatisfying(JobFailedException.class, e -> {
            assertThat(e.type()).isEqualTo("exit");
            assertThat(e.getMessage()).startsWith("exited with code 3; last lines of standard error:\nproblem 11\n")
                    .endsWith("\nproblem 30").doesNotContain("problem 10\n");
        });
    }

    @Test
    void aProgramKilledByASignalFailsAsSignal() throws Exception {
        JobType t = type("echo 'going down' >&2\nkill -KILL $$\n", "");
        assertThatThrownBy(() -> run(t, new Scripts.Recorded(), "{}")).isInstanceOfSatisfying(JobFailedException.class, e -> {
            assertThat(e.type()).isEqualTo("signal");
            assertThat(e.getMessage()).startsWith("killed by signal SIGKILL (9)").contains("going down");
        });
    }

    @Test
    void pastItsTimeoutTheWholeGroupGetsTermThenKillAndTheJobFailsAsTimeout() throws Exception {
        String marker = Scripts.marker();
        // why: both the script and its grandchild ignore SIGTERM, so only the SIGKILL after the grace ends them
        JobType t = type("trap '' TERM\nsleep " + marker + " &\necho 'progress 1 started'\nsleep " + marker + "\n",
                ", \"timeout\": \"1s\", \"grace\": \"1s\"");
        Scripts.Recorded ctx = new Scripts.Recorded();
        long start = System.nanoTime();
        assertThatThrownBy(() -> run(t, ctx, "{}")).isInstanceOfSatisfying(JobFailedException.class, e -> {
            assertThat(e.type()).isEqualTo("timeout");
            assertThat(e.getMessage()).isEqualTo("ran past its timeout of 1s");
        });
        assertThat((System.nanoTime() - start) / 1e9).isGreaterThanOrEqualTo(2.0);
        assertThat(Scripts.running(marker)).as("a process of the group is left").isFalse();
        assertThat(ctx.log).contains("log: past its timeout of 1s: SIGTERM to its process group, SIGKILL after 1s",
                "log: SIGKILL sent to its process group after the grace of 1s");
    }

    @Test
    void aBackgroundJobThatJobControlMovedToAGroupOfItsOwnIsEndedToo() throws Exception {
        String marker = Scripts.marker();
        JobType t = type("set -m\n(trap '' TERM; exec sleep " + marker + ") &\n"
                + "read -r _ _ _ _ pgrp _ < /proc/$!/stat\necho \"own group $pgrp, script $$\" >&2\nsleep " + marker + "\n",
                ", \"timeout\": \"1s\", \"grace\": \"500ms\"");
        Scripts.Recorded ctx = new Scripts.Recorded();
        assertThatThrownBy(() -> run(t, ctx, "{}")).isInstanceOfSatisfying(JobFailedException.class, e -> assertThat(e.type()).isEqualTo("timeout"));
        String groups = ctx.log.stream().filter(l -> l.startsWith("stderr: own group ")).findFirst().orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("own group (\\d+), script (\\d+)").matcher(groups);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).as("job control gave the background job a group of its own").isNotEqualTo(m.group(2));
        assertThat(Scripts.running(marker)).as("a process of the session is left").isFalse();
    }

    @Test
    void whatTheProgramLeavesRunningWhenItExitsIsEnded() throws Exception {
        String marker = Scripts.marker();
        JobType t = type("sleep " + marker + " &\necho 'result {\"left\": true}'\n", "");
        assertThat(run(t, new Scripts.Recorded(), "{}")).isEqualTo(json("{\"left\": true}"));
        assertThat(Scripts.running(marker)).isFalse();
    }

    @Test
    void aProcessThatLeftTheGroupWithItsOwnSetsidDoesNotHoldTheJobForever() throws Exception {
        String marker = Scripts.marker();
        // why: the script waits until the sleep has its own session, so that it has left before the job ends
        JobType t = type("setsid sleep " + marker + " &\n"
                + "for _ in $(seq 500); do read -r _ _ _ _ _ sid _ < /proc/$!/stat; [ \"$sid\" != \"$$\" ] && break; sleep 0.01; done\n"
                + "echo 'result {\"ok\": 1}'\n", "");
        Scripts.Recorded ctx = new Scripts.Recorded();
        try {
            assertThat(run(t, ctx, "{}")).isEqualTo(json("{\"ok\": 1}"));
            assertThat(ctx.log).contains("log: stopped reading its output: a process that left its process group holds it open");
        } finally {
            ProcessHandle.allProcesses().filter(ph -> ph.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theChildSeesDevNullTheDeclaredEnvironmentAndNoOtherVariableOfTheServer() throws Exception {
        JobType t = type("""
                read -r pid comm state ppid pgrp session rest < /proc/$$/stat
                echo "result {\\"env\\": $(jq -cn env), \\"stdin\\": \\"$(readlink /proc/$$/fd/0)\\", \\"pid\\": $pid, \\"pgrp\\": $pgrp, \\"session\\": $session, \\"cwd\\": \\"$PWD\\"}"
                """, ", \"env\": {\"LANG\": \"C\", \"MODE\": \"fast\"}, \"workdir\": \"" + dir + "\"");
        JsonNode seen = (JsonNode) run(t, new Scripts.Recorded(), "{}");
        JsonNode env = seen.get("env");
        assertThat(seen.get("stdin").asText()).isEqualTo("/dev/null");
        assertThat(seen.get("cwd").asText()).isEqualTo(dir.toString());
        assertThat(seen.get("pgrp")).as("the child leads its own process group").isEqualTo(seen.get("pid"));
        assertThat(seen.get("session")).isEqualTo(seen.get("pid"));
        assertThat(env.get("MODE").asText()).isEqualTo("fast");
        assertThat(env.get("LANG").asText()).as("the declared env wins over the server's").isEqualTo("C");
        assertThat(env.get("HOME").asText()).isEqualTo("/home/jobline");
        assertThat(env.get("JOBLINE_JOB_ID").asText()).isEqualTo("job-1");
        assertThat(env.get("JOBLINE_ATTEMPT").asText()).isEqualTo("1");
        assertThat(json(env.get("JOBLINE_PARAMS").asText())).isEqualTo(json("{}"));
        assertThat(env.has("JOBLINE_TOKENS")).isFalse();
        assertThat(env.has("JOBLINE_CALLBACK_SECRET")).isFalse();
        assertThat(env.has("AWS_SECRET_ACCESS_KEY")).isFalse();
    }
}
