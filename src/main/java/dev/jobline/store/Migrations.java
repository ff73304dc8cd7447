package dev.jobline.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Brings a database up to the newest schema: applies {@code db/sqlite/V<n>.sql} for each n past
 * the database's {@code user_version}, each in its own transaction. A newer Jobline opens an
 * older data folder; an older Jobline refuses a newer one instead of misreading it.
 */
final class Migrations {
    private Migrations() {}

    static int latest() {
        int n = 0;
        while (Migrations.class.getResource(path(n + 1)) != null) n++;
        return n;
    }

    static void apply(Connection c) throws SQLException {
        int current;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            current = rs.getInt(1);
        }
        int latest = latest();
        if (current > latest) {
            throw new SQLException("the data folder has schema " + current + ", newer than this Jobline knows (" + latest
                    + "); run a newer Jobline or point --data elsewhere");
        }
        for (int v = current + 1; v <= latest; v++) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : read(path(v)).split(";\\s*(\\r?\\n|$)")) {
                    if (!stripComments(sql).isBlank()) s.execute(sql);
                }
                s.execute("PRAGMA user_version = " + v);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new SQLException("migration to schema " + v + " failed: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private static String path(int v) {
        return "/db/sqlite/V" + v + ".sql";
    }

    private static String stripComments(String sql) {
        return sql.replaceAll("(?m)--.*$", "");
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
