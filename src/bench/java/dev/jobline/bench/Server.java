package dev.jobline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jobline as a real child process ({@code java -jar jobline.jar --port 0 ...}), and what Linux
 * says about it: CPU time and resident memory from {@code /proc}, heap after a full GC from
 * {@code jcmd}.
 */
final class Server implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Jobline listening on http://([^:]+):(\\d+)");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    /** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every common distribution). */
    private static final long TICKS_PER_SECOND = Long.getLong("bench.clkTck", 100);

    final Process process;
    final int port;
    final long startNanos;
    final long listeningNanos;
    private final Path java;
    private final Path data;

    private Server(Process process, int port, long startNanos, long listeningNanos, Path java, Path data) {
        this.process = process;
        this.port = port;
        this.startNanos = startNanos;
        this.listeningNanos = listeningNanos;
        this.java = java;
        this.data = data;
    }

    /** Starts the jar with {@code --port 0} and the given options; returns once it prints its address. */
    static Server start(Path jar, String store, List<String> jvmOptions, List<String> options) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path data = store.equals("sqlite") ? Files.createTempDirectory("jobline-bench") : null;
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--store", store));
        if (data != null) cmd.addAll(List.of("--data", data.toString()));
        cmd.addAll(options);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        long[] seen = new long[1];
        Thread.ofPlatform().daemon().name("server-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (!port.isDone() && m.find()) {
                        seen[0] = System.nanoTime();
                        port.complete(Integer.parseInt(m.group(2)));
                    } else if (!line.isBlank() && !line.contains("Unsafe") && !line.contains(" jobline.access - ")
                            && !line.contains(" jobline.events - ")) { // why: one access line per request: read, as a log shipper would, and dropped
                        System.err.println("[jobline] " + line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new IllegalStateException("jobline exited before listening: " + cmd));
        });
        try {
            int n = port.get(30, TimeUnit.SECONDS);
            return new Server(p, n, start, seen[0], java, data);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("jobline did not start: " + String.join(" ", cmd), e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** User plus system CPU time the server has used, in nanoseconds (10 ms resolution). */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15 of stat
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc for the server", e);
        }
    }

    /** Resident set size in bytes. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc for the server", e);
        }
        throw new IllegalStateException("no VmRSS for the server");
    }

    /** Heap in use after a full GC, in bytes. */
    long heapAfterGcBytes() {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) throw new IllegalStateException("cannot read the heap from: " + info);
        return Long.parseLong(m.group(1)) * 1024;
    }

    private String jcmd(String command) {
        Path jcmd = java.resolveSibling("jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("jcmd " + command + " failed: " + out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the server has used less than {@code maxCpuMillis} of CPU in a 200 ms window, up to {@code limitMillis}. */
    void awaitQuiet(long maxCpuMillis, long limitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + limitMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            long before = cpuNanos();
            Thread.sleep(200);
            if (cpuNanos() - before <= maxCpuMillis * 1_000_000) return;
        }
    }

    @Override
    public void close() {
        process.destroy(); // why: SIGTERM, the way an operator stops it
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (data != null) {
            try (var files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder left behind
            }
        }
    }
}
