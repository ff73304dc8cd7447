package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.pg.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Recurring jobs on the real jar: one job per tick on a 3-node PostgreSQL cluster, a missed run once after a restart, bad files exit 3. */
@Timeout(300)
class ScheduleIT {
    @TempDir
    Path dir;

    private final List<JoblineProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(JoblineProcess::close);
    }

    private Path schedules(String json) throws Exception {
        Path file = dir.resolve("schedules.json");
        Files.writeString(file, json);
        return file;
    }

    private JoblineProcess node(String... args) {
        try {
            JoblineProcess p = JoblineProcess.start(dir, args);
            nodes.add(p);
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** created_at of every job, oldest first. */
    private static List<Long> createdAt(String dbUrl) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(dbUrl);
             PreparedStatement ps = c.prepareStatement("SELECT created_at FROM jobs ORDER BY created_at");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }

    @Test
    void everyTwoSecondsOnThreeNodesStartsExactlyOneJobPerTick() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        Path file = schedules("""
                {"schedules": [{"name": "two", "cron": "@every 2s", "type": "sleep", "params": {"seconds": 0}, "overlap": "allow"}]}
                """);
        List<CompletableFuture<JoblineProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "node-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> node("--port", "0", "--store", "postgres", "--db-url", url,
                    "--node-id", id, "--schedules", file.toString())));
        }
        List<TestHttp> clients = new ArrayList<>();
        for (CompletableFuture<JoblineProcess> f : starting) clients.add(new TestHttp(f.join().url()));
        long firstTick = Instant.now().truncatedTo(ChronoUnit.SECONDS).toEpochMilli() / 2000 * 2000 + 2000;
        long lastTick = firstTick + 5 * 2000;
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<Long> at = createdAt(url);
            return !at.isEmpty() && at.getLast() >= lastTick + 1000;
        });
        Map<Long, Integer> perTick = new TreeMap<>();
        for (long at : createdAt(url)) perTick.merge(at / 2000 * 2000, 1, Integer::sum);
        for (long tick = firstTick; tick <= lastTick; tick += 2000) {
            assertThat(perTick.get(tick)).as("jobs of the tick at " + Instant.ofEpochMilli(tick) + " (all: " + perTick + ")").isEqualTo(1);
        }
        assertThat(perTick.values()).as("no tick has two jobs").allMatch(n -> n == 1);
        OpenApiContract contract = new OpenApiContract();
        for (TestHttp http : clients) {
            JsonNode s = contract.check("GET", "/api/schedules", http.get("/api/schedules")).json().get(0);
            assertThat(s.get("name").asText()).isEqualTo("two");
            assertThat(s.get("lastJob").isNull()).isFalse();
        }
    }

    @Test
    void onSqliteARunMissedWhileTheServerWasDownStartsOnceAtTheNextStart() throws Exception {
        // a daily cron at the next whole minute (at least 10 s away): it comes while no server is up
        ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        Path file = schedules("""
                {"schedules": [{"name": "daily", "cron": "%d %d * * *", "timezone": "UTC", "type": "sleep", "params": {"seconds": 0}}]}
                """.formatted(at.getMinute(), at.getHour()));
        String[] args = {"--port", "0", "--store", "sqlite", "--data", dir.resolve("data").toString(), "--schedules", file.toString()};
        JoblineProcess first = node(args);
        TestHttp http = new TestHttp(first.url());
        JsonNode s = http.get("/api/schedules").json().get(0);
        assertThat(Instant.parse(s.get("nextRunAt").asText())).isEqualTo(at.toInstant());
        assertThat(s.get("lastJob").isNull()).isTrue();
        assertThat(first.terminate(60)).isIn(0, 143);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().isAfter(at.toInstant().plusSeconds(1)));

        JoblineProcess second = node(args);
        http = new TestHttp(second.url());
        JsonNode jobs = http.get("/api/jobs").json().get("jobs");
        assertThat(jobs).as("the missed run, started at start").hasSize(1);
        s = http.get("/api/schedules").json().get(0);
        assertThat(s.get("lastJob").asText()).isEqualTo(jobs.get(0).get("id").asText());
        assertThat(Instant.parse(s.get("nextRunAt").asText())).isEqualTo(at.toInstant().plus(Duration.ofDays(1)));
        assertThat(second.terminate(60)).isIn(0, 143);
        assertThat(second.stderr()).contains("schedule daily missed its run of " + at.toInstant());

        JoblineProcess third = node(args);
        assertThat(new TestHttp(third.url()).get("/api/jobs").json().get("jobs")).as("nothing missed since: no new run").hasSize(1);
    }

    @Test
    void theSchedulesCommandListsEachScheduleWithItsNextRunAndJsonPrintsTheServersAnswer() throws Exception {
        Path file = schedules("""
                {"schedules": [{"name": "nightly", "cron": "0 3 * * *", "timezone": "Europe/Berlin", "type": "sleep", "params": {"seconds": 1}}]}
                """);
        JoblineProcess server = node("--port", "0", "--store", "memory", "--schedules", file.toString());
        Map<String, String> env = Map.of("JOBLINE_URL", server.url());
        ClientRun table = ClientRun.run(dir, env, "schedules");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.lines().getFirst()).startsWith("NAME").contains("CRON", "TYPE", "NEXT RUN", "LAST JOB");
        assertThat(table.lines().get(1)).matches("nightly +0 3 \\* \\* \\* Europe/Berlin +sleep +in \\d+(h \\d+m|m \\d+s|s) \\(.*Z\\) +-");
        JsonNode json = dev.jobline.json.Json.MAPPER.readTree(ClientRun.run(dir, env, "schedules", "--json").out());
        assertThat(json.get(0).get("name").asText()).isEqualTo("nightly");
        assertThat(json.get(0).get("params").get("seconds").asInt()).isEqualTo(1);
    }

    private record Ran(int exit, String out) {}

    private Ran jar(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JoblineProcess.java(), "-jar", JoblineProcess.jar().toString(),
                "--port", "0", "--store", "memory"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Ran(p.waitFor(), out);
    }

    @Test
    void aBadSchedulesFileStopsTheServerAtStartWithExitThreeNamingTheScheduleAndField() throws Exception {
        String[][] cases = {
                {"{\"schedules\": [{\"name\": \"nightly\", \"cron\": \"0 3 * *\", \"type\": \"sleep\"}]}", "schedules[0] (nightly): cron '0 3 * *' must be five fields"},
                {"{\"schedules\": [{\"name\": \"nightly\", \"cron\": \"@daily\", \"timezone\": \"Europe/Nowhere\", \"type\": \"sleep\"}]}",
                        "schedules[0] (nightly): timezone 'Europe/Nowhere' is not a known time zone"},
                {"{\"schedules\": [{\"name\": \"nightly\", \"cron\": \"@daily\", \"type\": \"backup\"}]}",
                        "schedules[0] (nightly): type 'backup' is not a job type of this server"},
                {"{\"schedules\": [{\"name\": \"nightly\", \"cron\": \"@daily\", \"type\": \"sleep\", \"params\": {\"seconds\": \"soon\"}}]}",
                        "schedules[0] (nightly): params.seconds"},
                {"{\"schedules\": [", "not valid JSON"},
        };
        for (String[] c : cases) {
            Path file = schedules(c[0]);
            Ran ran = jar(Map.of(), "--schedules", file.toString());
            assertThat(ran.exit()).as(ran.out()).isEqualTo(3);
            assertThat(ran.out()).startsWith("jobline: schedules file " + file + ": ").contains(c[1]).doesNotContain("Exception", "listening");
        }
        Ran env = jar(Map.of("JOBLINE_SCHEDULES", dir.resolve("none.json").toString()));
        assertThat(env.exit()).isEqualTo(3);
        assertThat(env.out()).contains("none.json: cannot be read");
    }
}
