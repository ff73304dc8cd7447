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
