package dev.jobline.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PostgresServerTest {
    private final PostgresServer pg = PostgresServer.shared();

    @Test
    void newDatabaseGivesAUrlWithUserAndPasswordOnLoopback() throws Exception {
        String url = pg.newDatabase();
        assertThat(url).matches("jdbc:postgresql://127\\.0\\.0\\.1:" + pg.port() + "/\\w+\\?user=\\w+&password=\\w+");
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(one(c, "SELECT current_database()")).isEqualTo(url.replaceAll(".*/(\\w+)\\?.*", "$1"));
            assertThat(one(c, "SHOW server_version_num")).satisfies(v -> assertThat(Integer.parseInt(v)).isGreaterThanOrEqualTo(130000));
        }
    }

    @Test
    void theServerChecksThePassword() {
        String wrong = pg.newDatabase().replaceAll("password=\\w+", "password=wrong");
        assertThatThrownBy(() -> DriverManager.getConnection(wrong).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void twoNewDatabasesAreIndependent() throws Exception {
        try (Connection a = DriverManager.getConnection(pg.newDatabase());
             Connection b = DriverManager.getConnection(pg.newDatabase())) {
            exec(a, "CREATE TABLE jobs (id text PRIMARY KEY)");
            exec(a, "INSERT INTO jobs VALUES ('a1')");
            assertThat(one(a, "SELECT count(*) FROM jobs")).isEqualTo("1");
            assertThat(one(b, "SELECT to_regclass('jobs') IS NULL")).isEqualTo("t");
            assertThat(one(b, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");
        }
    }

    @Test
    void aChildProcessConnectsWithTheUrlAlone(@TempDir Path dir) throws Exception {
        Path probe = dir.resolve("Probe.java");
        Files.writeString(probe, """
                public class Probe {
                    public static void main(String[] a) throws Exception {
                        try (var c = java.sql.DriverManager.getConnection(a[0]);
                             var r = c.createStatement().executeQuery("SELECT 40 + 2")) {
                            r.next();
                            System.out.print(r.getInt(1));
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), probe.toString(), pg.newDatabase())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("42");
    }

    @Test
    void aNotificationReachesTheListeningConnection() throws Exception {
        String url = pg.newDatabase();
        try (Connection listener = DriverManager.getConnection(url); Connection sender = DriverManager.getConnection(url)) {
            exec(listener, "LISTEN job_changes");
            exec(sender, "SELECT pg_notify('job_changes', 'job-7:3')");
            PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(got).isNotNull();
            assertThat(Arrays.stream(got).map(n -> n.getName() + "=" + n.getParameter())).containsExactly("job_changes=job-7:3");
        }
    }

    @Test
    void anAdvisoryTransactionLockIsHeldUntilCommit() throws Exception {
        String url = pg.newDatabase();
        try (Connection holder = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url);
             Connection observer = DriverManager.getConnection(url)) {
            holder.setAutoCommit(false);
            exec(holder, "SELECT pg_advisory_xact_lock(4242)");
            assertThat(one(other, "SELECT pg_try_advisory_xact_lock(4242)")).isEqualTo("f");
            other.setAutoCommit(false);
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return one(other, "SELECT 'granted' FROM (SELECT pg_advisory_xact_lock(4242)) l");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    one(observer, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").equals("1"));
            assertThat(waiting).isNotDone();
            holder.commit();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("granted");
            other.commit();
        }
    }

    @Test
    void transactionIdsAndSnapshotXminAreReadable() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.newDatabase())) {
            c.setAutoCommit(false);
            long xid = Long.parseLong(one(c, "SELECT pg_current_xact_id()::text"));
            long xmin = Long.parseLong(one(c, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text"));
            assertThat(xid).isPositive();
            assertThat(xmin).isPositive().isLessThanOrEqualTo(xid);
            c.commit();
            long next = Long.parseLong(one(c, "SELECT pg_current_xact_id()::text"));
            assertThat(next).isGreaterThan(xid);
            c.commit();
        }
    }

    @Test
    void afterRestartNewConnectionsWorkOldOnesFailAndDataIsKept() throws Exception {
        String url = pg.newDatabase();
        try (Connection old = DriverManager.getConnection(url)) {
            exec(old, "CREATE TABLE kept (v int)");
            exec(old, "INSERT INTO kept VALUES (7)");
            pg.restart();
            assertThat(pg.isRunning()).isTrue();
            assertThatThrownBy(() -> one(old, "SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(old.isValid(2)).isFalse();
            try (Connection fresh = DriverManager.getConnection(url)) {
                assertThat(one(fresh, "SELECT v FROM kept")).isEqualTo("7");
            }
        }
    }

    @Test
    void whileStoppedConnectionsAreRefusedAndStartBringsItBack() throws Exception {
        String url = pg.newDatabase();
        pg.stop();
        try {
            assertThat(pg.isRunning()).isFalse();
            assertThatThrownBy(() -> DriverManager.getConnection(url).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"));
        } finally {
            pg.start();
        }
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(one(c, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void aHikariPoolConnectsWithTheUrl() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.newDatabase());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config); Connection c = pool.getConnection()) {
            assertThat(one(c, "SELECT 1")).isEqualTo("1");
        }
    }

    /** For information only: printed to the test's output, never asserted (timing goals live in the benchmark). */
    @Test
    void measuresTheLatencyOfASingleRowInsertAndCommit() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.newDatabase())) {
            exec(c, "CREATE TABLE t (id bigserial PRIMARY KEY, v text NOT NULL)");
            c.setAutoCommit(false);
            long[] micros = new long[200];
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                for (int i = -20; i < micros.length; i++) {
                    long t0 = System.nanoTime();
                    insert.setString(1, "row " + i);
                    insert.executeUpdate();
                    c.commit();
                    if (i >= 0) {
                        micros[i] = (System.nanoTime() - t0) / 1_000;
                    }
                }
            }
            Arrays.sort(micros);
            System.out.printf("PostgreSQL single-row INSERT+COMMIT over JDBC (fsync on, 200 after 20 warm-up): median %d us,"
                    + " p90 %d us, min %d us, max %d us; %s%n", micros[100], micros[180], micros[0], micros[199],
                    one(c, "SHOW wal_sync_method") + " " + one(c, "SELECT version()"));
            assertThat(one(c, "SELECT count(*) FROM t")).isEqualTo("220");
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
