package dev.jobline.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark suite: starts Jobline as a child process for each scenario, drives it over
 * loopback from this process, and writes a Markdown table of medians with min and max.
 * Arguments: {@code --jar PATH} (the Jobline jar), {@code --classes PATH} (these classes, for
 * the in-process runs), {@code --out FILE} (the table), {@code --quick} (the CI smoke: small
 * sizes, one repetition), {@code --only NAME,...} (some scenarios), {@code --update FILE} (also put the
 * table into FILE between its result markers).
 */
public final class Bench {
    final Path jar;
    final Path classes;
    final boolean quick;
    final Results results = new Results();
    final List<String> notes = new ArrayList<>();

    private Bench(Path jar, Path classes, boolean quick) {
        this.jar = jar;
        this.classes = classes;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("target/jobline.jar");
        Path classes = Path.of("target/bench-classes");
        Path out = Path.of("target/bench/results.md");
        Path update = null;
        boolean quick = false;
        List<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jar" -> jar = Path.of(args[++i]);
                case "--classes" -> classes = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--update" -> update = Path.of(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (only == null) { // why: the PostgreSQL scenarios start a database and several nodes: too slow and too shared for the CI smoke
            only = quick ? List.of("floor", "wake", "follow", "capacity", "throughput", "startup", "uploads", "batch")
                    : List.of("floor", "wake", "follow", "capacity", "throughput", "startup", "uploads", "postgres", "cluster", "delayed", "batch",
                    "monitoring", "sse");
        }
        Bench bench = new Bench(jar, classes, quick);
        String startLoad = loadAverage();
        Instant started = Instant.now();
        for (String name : only) {
            long t0 = System.nanoTime();
            System.err.printf("== %s%n", name);
            Scenario scenario = switch (name) {
                case "floor" -> new FloorScenario(bench);
                case "wake" -> new WakeScenario(bench);
                case "follow" -> new FollowScenario(bench);
                case "capacity" -> new CapacityScenario(bench);
                case "throughput" -> new ThroughputScenario(bench);
                case "startup" -> new StartupScenario(bench);
                case "uploads" -> new UploadScenario(bench);
                case "postgres" -> new PostgresScenario(bench);
                case "cluster" -> new ClusterScenario(bench);
                case "delayed" -> new DelayedScenario(bench);
                case "batch" -> new BatchScenario(bench);
                case "monitoring" -> new MonitoringScenario(bench);
                case "sse" -> new StreamScenario(bench);
                default -> throw new IllegalArgumentException("unknown scenario " + name);
            };
            try {
                scenario.run();
            } catch (Exception e) {
                if (quick) throw e;
                // why: a full run takes many minutes; one scenario that fails must not lose the others' rows
                e.printStackTrace();
                bench.notes.add("scenario " + name + " failed and its rows are missing or partial: " + e);
            }
            System.err.printf("== %s took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        }
        String report = bench.report(started, startLoad);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        if (update != null) replaceResults(update, report);
        System.out.println(report);
    }

    private static final String BEGIN = "<!-- results:begin (written by ./bench; edit around it) -->";
    private static final String END = "<!-- results:end -->";

    /** Puts {@code report} between the result markers of {@code file}, keeping the text around them. */
    private static void replaceResults(Path file, String report) throws Exception {
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        String section = BEGIN + "\n" + report + END;
        text = b >= 0 && e > b ? text.substring(0, b) + section + text.substring(e + END.length()) : text + "\n" + section + "\n";
        Files.writeString(file, text);
    }

    int rounds() {
        return quick ? 1 : 3;
    }

    /** The usual options of a server under test: no drain wait at the end, room for every load here. */
    Server server(String store, String... extra) throws Exception {
        List<String> options = new ArrayList<>(List.of("--grace", "1s", "--max-queued", "1000000", "--max-running", "20000",
                "--max-waiters", "50000", "--retention", "24h"));
        options.addAll(List.of(extra));
        return Server.start(jar, store, List.of("-XX:+UseG1GC"), options);
    }

    /** CPU time this client process has used, in nanoseconds. */
    static long clientCpuNanos() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime();
    }

    /** Opens connections in batches, so that no burst overflows the listen backlog. */
    static List<Loop.Conn> open(Loop loop, int n) {
        List<Loop.Conn> all = new ArrayList<>(n);
        for (int done = 0; done < n; ) {
            int batch = Math.min(1000, n - done);
            all.addAll(loop.open(batch).join());
            done += batch;
        }
        return all;
    }

    private String report(Instant started, String startLoad) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("Run of ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(quick ? " (quick mode: small sizes, one repetition; not for comparison)" : "")
                .append(", ").append(rounds()).append(" repetition(s) per scenario after a warm-up.\n\n");
        sb.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (nproc), ")
                .append(cpuModel()).append(", ").append(memory()).append(" memory\n");
        sb.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(" (server and client)\n");
        sb.append("- command: `").append(System.getProperty("bench.command", "./bench" + (quick ? " --quick" : ""))).append("`\n");
        sb.append("- load average (1, 5, 15 min) at start: ").append(startLoad).append("; at end: ").append(loadAverage()).append('\n');
        sb.append("- open files allowed per process: ").append(System.getProperty("bench.nofile", "unknown")).append("\n\n");
        sb.append(results.table(!quick));
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String n : notes) sb.append("- ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static String cpuModel() throws Exception {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static String memory() throws Exception {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0) + " GiB")
                .findFirst().orElse("unknown");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
