package dev.jobline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh PostgreSQL for one scenario, started and stopped by {@code scripts/throwaway-postgres.sh}
 * (loopback only, a free port, its own folder). {@link #close} stops it and removes its folders; a
 * shutdown hook does the same if the bench is interrupted. {@link #cpuNanos} sums the CPU time of
 * the server's processes (postmaster and its children) from {@code /proc}.
 */
final class ThrowawayPostgres implements AutoCloseable {
    private static final Path SCRIPT = Path.of("scripts", "throwaway-postgres.sh");
    private static final long TICKS_PER_SECOND = Long.getLong("bench.clkTck", 100);

    /** Thrown when the machine has no PostgreSQL server programs: the scenario is skipped, not failed. */
    static final class Missing extends Exception {
        Missing(String message) {
            super(message);
        }
    }

    final String url;
    private final Path dir;
    private final Path serverDir;
    private final Thread hook;
    private boolean closed;

    private ThrowawayPostgres(String url, Path dir, Path serverDir) {
        this.url = url;
        this.dir = dir;
        this.serverDir = serverDir;
        this.hook = new Thread(this::stopAndRemove, "throwaway-postgres-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static ThrowawayPostgres start() throws Exception {
        Path dir = Files.createTempDirectory("jobline-bench-pg");
        Path errors = dir.resolve("start.err"); // why: a file, so a chatty failure cannot fill a pipe nobody reads
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), "start", dir.toString())
                .redirectError(errors.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        String err = Files.exists(errors) ? Files.readString(errors).trim() : "";
        Path sd = Files.exists(dir.resolve("server-dir")) ? Path.of(Files.readString(dir.resolve("server-dir")).trim()) : dir;
        if (!ended || p.exitValue() != 0) {
            if (!ended) p.destroyForcibly();
            new ThrowawayPostgres(null, dir, sd).close();
            if (err.contains("no PostgreSQL server programs found")) throw new Missing(err);
            throw new IllegalStateException("throwaway PostgreSQL did not start: " + err);
        }
        String url = out.lines().filter(l -> l.startsWith("jdbc:postgresql:")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("no JDBC URL from the script: " + out));
        return new ThrowawayPostgres(url, dir, sd);
    }

    /** User plus system CPU of the postmaster and every process it started (the backends), in nanoseconds. */
    long cpuNanos() {
        try {
            Path pidFile = serverDir.resolve("data").resolve("postmaster.pid");
            long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            long ticks = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    String name = proc.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) continue;
                    long[] stat = stat(proc);
                    if (stat != null && (Long.parseLong(name) == postmaster || stat[0] == postmaster)) ticks += stat[1];
                }
            }
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Parent pid and utime + stime of one process, or null when it is gone. */
    private static long[] stat(Path proc) {
        try {
            String s = Files.readString(proc.resolve("stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        stopAndRemove();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs anyway and finds nothing to do
        }
    }

    private synchronized void stopAndRemove() {
        if (closed) return;
        closed = true;
        if (Files.exists(serverDir.resolve("data").resolve("postmaster.pid"))) {
            try {
                Process p = new ProcessBuilder("bash", SCRIPT.toString(), "stop", dir.toString()).inheritIO().start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (IOException e) {
                System.err.println("bench: could not stop the throwaway PostgreSQL in " + serverDir + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Path> folders = new ArrayList<>(List.of(dir));
        if (!serverDir.equals(dir)) folders.add(serverDir);
        for (Path folder : folders) {
            try (var files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                System.err.println("bench: could not remove " + folder + ": " + e.getMessage());
            }
        }
    }
}
