package dev.jobline.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.JobContext;
import dev.jobline.job.JobFailedException;
import dev.jobline.job.JobHandler;
import dev.jobline.job.ParamsSchema;
import dev.jobline.json.Json;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a declared command as a job: the program with the job's arguments, no shell, standard
 * input from /dev/null, a small environment, in a process group of its own. The job ends when
 * the program has ended and nothing of its group is left: on a cancel, a drain or a timeout the
 * group gets SIGTERM and, after the command's grace, SIGKILL; what the program leaves running
 * when it exits is ended the same way.
 *
 * <p>Exit code 0 succeeds with the last result line or {@code {"exitCode": 0}}. The JDK reports
 * a child killed by signal N as exit code 128+N, as shells do, so a code from 129 to 192 fails
 * as {@code signal}; any other code fails as {@code exit}. Past the timeout: {@code timeout}.
 */
final class CommandJob implements JobHandler {
    private static final List<String> FROM_SERVER = List.of("PATH", "HOME", "LANG");
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT", 9, "SIGKILL",
            11, "SIGSEGV", 13, "SIGPIPE", 14, "SIGALRM", 15, "SIGTERM");

    private final Command command;
    private final Commands launcher;

    CommandJob(Command command, Commands launcher) {
        this.command = command;
        this.launcher = launcher;
    }

    /** Upload params ({@code "format": "upload"}) become their files' absolute paths: the program gets a file, never an id. */
    private JsonNode uploadPaths(JobContext ctx, JsonNode params) {
        List<String> names = command.params() == null ? List.of() : ParamsSchema.uploadParams(command.params());
        if (names.isEmpty() || !params.isObject()) return params;
        ObjectNode out = ((ObjectNode) params).deepCopy();
        for (String name : names) if (out.hasNonNull(name)) out.put(name, ctx.upload(out.get(name).asText()).toString());
        return out;
    }

    @Override
    public Object run(JobContext ctx, JsonNode given) throws Exception {
        JsonNode params = uploadPaths(ctx, given == null || given.isNull() ? Json.MAPPER.createObjectNode() : given);
        ProcessBuilder pb = new ProcessBuilder(launcher.launch(Argv.of(command, params)))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (command.workdir() != null) pb.directory(command.workdir().toFile());
        pb.environment().clear();
        pb.environment().putAll(environment(ctx, params));
        ctx.throwIfCancelled();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new JobFailedException("could not start " + command.run().getFirst() + ": " + e.getMessage(), "start");
        }
        ProcessGroup group = launcher.started(p);
        Output out = new Output(ctx);
        Thread stdout = Thread.ofVirtual().name("cmd-out-" + ctx.jobId()).start(() -> LineReader.read(p.getInputStream(), LineReader.MAX_LINE, out::stdout));
        Thread stderr = Thread.ofVirtual().name("cmd-err-" + ctx.jobId()).start(() -> LineReader.read(p.getErrorStream(), LineReader.MAX_LINE, out::stderr));
        boolean exited = false;
        boolean timedOut = false;
        try {
            if (command.timeout() == null) {
                p.waitFor();
                exited = true;
            } else {
                exited = p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
                timedOut = !exited;
            }
            if (exited && group.alive()) note(ctx, "the program left processes running in its group; ending them");
        } finally {
            if (!exited) note(ctx, (timedOut ? "past its timeout of " + text(command.timeout()) : "cancelled or stopped")
                    + ": SIGTERM to its process group, SIGKILL after " + text(command.grace()));
            // why: no process of the group outlives its job, whether it ended, was cancelled, drained or timed out
            boolean killed = group.stop(command.grace());
            launcher.ended(group);
            if (killed) note(ctx, "SIGKILL sent to its process group after the grace of " + text(command.grace()));
            if (!join(stdout) | !join(stderr)) {
                note(ctx, "stopped reading its output: a process that left its process group holds it open");
            }
        }
        if (!exited) throw new JobFailedException("ran past its timeout of " + text(command.timeout()), "timeout");
        return outcome(p.exitValue(), out);
    }

    private Object outcome(int code, Output out) {
        if (code == 0) return out.result() != null ? out.result() : Map.of("exitCode", 0);
        List<String> tail = out.lastStderrLines();
        String last = tail.isEmpty() ? "; it wrote nothing to standard error" : "; last lines of standard error:\n" + String.join("\n", tail);
        if (code > 128 && code <= 128 + 64) {
            int sig = code - 128;
            String name = SIGNALS.containsKey(sig) ? SIGNALS.get(sig) + " (" + sig + ")" : Integer.toString(sig);
            throw new JobFailedException("killed by signal " + name + last, "signal");
        }
        throw new JobFailedException("exited with code " + code + last, "exit");
    }

    private Map<String, String> environment(JobContext ctx, JsonNode params) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : FROM_SERVER) {
            String value = launcher.serverEnv().get(name);
            if (value != null) env.put(name, value);
        }
        env.putAll(command.env());
        env.put("JOBLINE_JOB_ID", ctx.jobId());
        env.put("JOBLINE_ATTEMPT", Integer.toString(ctx.attempt()));
        env.put("JOBLINE_PARAMS", new String(Json.bytes(params), java.nio.charset.StandardCharsets.UTF_8));
        if (ctx.checkpoint() != null) env.put("JOBLINE_CHECKPOINT", ctx.checkpoint().toString());
        return env;
    }

    /**
     * Waits for a reader to read the end of its pipe, which comes when the group is gone; false when
     * it has not after 5 s (a process that left the group may hold the pipe; the reader ends with it).
     */
    private static boolean join(Thread reader) {
        boolean interrupted = Thread.interrupted();
        boolean ended = false;
        try {
            ended = reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) Thread.currentThread().interrupt();
        return ended;
    }

    /** A line of the job's log from Jobline itself; a log that fails must not keep the group from being ended. */
    private static void note(JobContext ctx, String text) {
        try {
            ctx.log(text);
        } catch (RuntimeException e) {
            // the line is lost; the job goes on
        }
    }

    private static String text(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
