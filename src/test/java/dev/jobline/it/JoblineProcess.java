package dev.jobline.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real jar as a child process: started, read for its listening line, signalled, reaped. */
public final class JoblineProcess implements AutoCloseable {
    private final Process process;
    private final String url;
    private final Path stderr;

    private JoblineProcess(Process process, String url, Path stderr) {
        this.process = process;
        this.url = url;
        this.stderr = stderr;
    }

    public static Path jar() {
        String jar = System.getProperty("jobline.jar", "target/jobline.jar");
        return Path.of(jar).toAbsolutePath();
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code java -jar jobline.jar ARGS} and waits for its listening line. */
    public static JoblineProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, java.util.Map.of(), args);
    }

    /** Starts the jar with extra environment variables. */
    public static JoblineProcess start(Path workDir, java.util.Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Path err = workDir.resolve("stderr-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).completeOnTimeout(null, 30, TimeUnit.SECONDS).join();
        if (line == null || !line.startsWith("Jobline listening on http://")) {
            p.destroyForcibly();
            throw new IllegalStateException("no listening line, got " + line + "; stderr: " + java.nio.file.Files.readString(err));
        }
        return new JoblineProcess(p, line.substring("Jobline listening on ".length()).trim(), err);
    }

    public String url() {
        return url;
    }

    public Process process() {
        return process;
    }

    /** What a failing test prints of this node: its log and, while it lives, its threads (by the test JDK's jcmd). */
    public String diagnosis() {
        StringBuilder out = new StringBuilder("--- node " + url + "\n");
        try {
            out.append(stderr());
        } catch (IOException e) {
            out.append("no log: ").append(e.getMessage());
        }
        if (process.isAlive()) {
            try {
                Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
                String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (dump.waitFor(30, TimeUnit.SECONDS)) out.append("\n--- threads\n").append(threads);
            } catch (IOException | InterruptedException e) {
                out.append("\nno thread dump: ").append(e.getMessage());
            }
        }
        return out.toString();
    }

    public String stderr() throws IOException {
        return java.nio.file.Files.readString(stderr);
    }

    /** SIGTERM, then waits for the exit code. */
    public int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("did not exit within " + timeoutSeconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
    }
}
