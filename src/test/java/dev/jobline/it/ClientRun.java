package dev.jobline.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A client command of the real jar as a child process: its standard output read line by line as it comes. */
final class ClientRun implements AutoCloseable {
    private final Process process;
    private final Path stderr;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ClientRun(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.add(line);
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** Starts {@code java -jar jobline.jar ARGS} with JOBLINE_URL (and more) in its environment. */
    static ClientRun start(Path dir, Map<String, String> env, String... args) throws IOException {
        // why: env --default-signal=INT undoes an ignored SIGINT inherited from whatever started the tests (a shell's background
        // job ignores it), which the JVM would honour; a person's Ctrl-C on a terminal always finds it at its default
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", JoblineProcess.java(), "-jar", JoblineProcess.jar().toString()));
        cmd.addAll(List.of(args));
        Path err = dir.resolve("client-" + System.nanoTime() + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile());
        pb.environment().remove("JOBLINE_URL");
        pb.environment().remove("JOBLINE_TOKEN");
        pb.environment().remove("JOBLINE_RETRY_FOR");
        pb.environment().putAll(env);
        return new ClientRun(pb.start(), err);
    }

    /** Runs a command to its end. */
    static ClientRun run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        ClientRun r = start(dir, env, args);
        r.exitCode();
        return r;
    }

    /** Waits (at most two minutes) for the exit code; by then every line is read. */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the client did not exit within 120 s; output so far: " + lines);
        }
        reader.join(10_000);
        return process.exitValue();
    }

    List<String> lines() {
        return lines;
    }

    String out() {
        return String.join("\n", lines);
    }

    String err() throws IOException {
        return Files.readString(stderr);
    }

    Process process() {
        return process;
    }

    /** Sends SIGINT, as Ctrl-C does. */
    void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
    }
}
