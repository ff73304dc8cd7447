package dev.jobline.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** TEMPORARY stand-in until the real fixture lands: a server started by hand (JOBLINE_TEST_PG = admin JDBC URL base). */
public final class PostgresServer {
    private static final PostgresServer SHARED = new PostgresServer();
    private static final AtomicInteger n = new AtomicInteger();
    private final String base = System.getenv().getOrDefault("JOBLINE_TEST_PG", "jdbc:postgresql://127.0.0.1:55432/");

    public static PostgresServer shared() {
        return SHARED;
    }

    public void restart() {
        try {
            Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", "/tmp/pgdev/data",
                    "-m", "fast", "-o", "-p 55432 -k /tmp/pgdev -c listen_addresses=127.0.0.1 -c max_connections=200", "-l", "/tmp/pgdev/log.txt", "restart")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String newDatabase() {
        String name = "t" + ProcessHandle.current().pid() + "_" + n.incrementAndGet();
        try (Connection c = DriverManager.getConnection(base + "postgres?user=postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return base + name + "?user=postgres&password=x";
    }
}
