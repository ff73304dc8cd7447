package dev.jobline.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded store: jobs in one SQLite file ({@code DATA/jobline.db}), WAL journal with
 * synchronous=FULL, so a write is on disk when it returns. One process owns the file (see
 * {@link DataLock}); feed positions count up in commit order from its one writer.
 */
public final class SqliteJobStore {
    private static final int READERS = 2;

    private SqliteJobStore() {}

    /** Opens (creating and migrating as needed) the store in {@code dataDir}. */
    public static JobStore open(Path dataDir) {
        return open(dataDir, 1000);
    }

    /** Opens the store with at most {@code maxBatch} writes a transaction (1 turns group commit off). */
    public static JobStore open(Path dataDir, int maxBatch) {
        Path file = dataDir.resolve("jobline.db");
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot open the store in " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Readers readers = Readers.fixed(READERS, () -> connect(file, true));
        try {
            return new JdbcJobStore(new Sqlite(dataDir), () -> connect(file, false), readers, maxBatch, store -> store::publish, null);
        } catch (RuntimeException e) {
            readers.close();
            throw e;
        }
    }

    private static Connection connect(Path file, boolean readOnly) {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL"); // why: set explicitly; the driver's default differs
                s.execute("PRAGMA busy_timeout = 10000");
                if (readOnly) s.execute("PRAGMA query_only = ON");
            }
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the store " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** SQLite's few differences: user_version for the schema, a counter for positions, no row locks (one writer). */
    private record Sqlite(Path dataDir) implements Dialect {
        @Override
        public String name() {
            return "sqlite";
        }

        @Override
        public boolean exclusive() {
            return true;
        }

        @Override
        public void migrate(Connection c) throws SQLException {
            Migrations.apply(c, "sqlite", new Migrations.Version() {
                @Override
                public int read(Connection c) throws SQLException {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                        return rs.getInt(1);
                    }
                }

                @Override
                public void write(Connection c, int v) throws SQLException {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA user_version = " + v);
                    }
                }
            }, "the data folder " + dataDir.toAbsolutePath());
        }

        @Override
        public long firstPosition(Connection c, long lastWritten) {
            return lastWritten + 1;
        }

        @Override
        public void beforeCommit(Connection c, long last, boolean wrote) throws SQLException {
            if (!wrote) return;
            try (PreparedStatement ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'last_seq'")) {
                ps.setString(1, Long.toString(last));
                ps.executeUpdate();
            }
        }

        @Override
        public long horizon(Connection c, long published) {
            return published; // why: one writer hands out positions in commit order, and publishes each after its commit
        }

        @Override
        public String skipLocked() {
            return "";
        }

        @Override
        public String forUpdate() {
            return "";
        }

        @Override
        public String indexedBy(String index) {
            return " INDEXED BY " + index;
        }
    }
}
