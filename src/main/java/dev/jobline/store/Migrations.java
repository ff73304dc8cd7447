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
 * Brings a database up to the newest schema: applies {@code db/<dialect>/V<n>.sql} for each n past
 * the version the database records, each in its own transaction together with the new version
 * number. A newer Jobline opens an older database; an older Jobline refuses a newer one instead of
 * misreading it.
 */
final class Migrations {
    private Migrations() {}

    /** How a database records its schema version. */
    interface Version {
        int read(Connection c) throws SQLException;

        void write(Connection c, int v) throws SQLException;
    }

    static int latest(String dialect) {
        int n = 0;
        while (Migrations.class.getResource(path(dialect, n + 1)) != null) n++;
        return n;
    }

    static void apply(Connection c, String dialect, Version version, String where) throws SQLException {
        int current = version.read(c);
        int latest = latest(dialect);
        if (current > latest) {
            throw new SQLException(where + " has schema " + current + ", newer than this Jobline knows (" + latest
                    + "); run a newer Jobline or use another");
        }
        for (int v = current + 1; v <= latest; v++) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : read(path(dialect, v)).split(";\\s*(\\r?\\n|$)")) {
                    if (!stripComments(sql).isBlank()) s.execute(sql);
                }
                version.write(c, v);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new SQLException("migration to schema " + v + " failed: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private static String path(String dialect, int v) {
        return "/db/" + dialect + "/V" + v + ".sql";
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
