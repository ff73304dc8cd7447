package dev.jobline.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Jobs in PostgreSQL, shared by any number of nodes. The SQL is the embedded store's; the
 * differences are here. Feed positions are the writing transaction's id shifted left by 20 bits
 * plus the row's place in it, and a reader reads only below the oldest transaction still running
 * ({@code pg_snapshot_xmin}), so a position it passes can never be filled later, however
 * transactions interleave their commits. Each commit that writes the feed sends a NOTIFY; every
 * node's {@link PostgresFeed} hears it, reads the feed and tells its subscribers.
 */
public final class PostgresJobStore {
    static final String CHANNEL = "jobline_feed";
    private static final long MIGRATION_LOCK = 0x6a6f626c696e65L; // "jobline"

    private PostgresJobStore() {}

    /** Opens the store at a {@code jdbc:postgresql://} URL, creating or migrating its schema (safely when nodes start together). */
    public static JobStore open(String url) {
        return open(url, CHANNEL);
    }

    /** As {@link #open(String)}, listening on {@code listen}: a test makes a node deaf to the feed's notifications with it. */
    static JobStore open(String url, String listen) {
        return open(url, listen, listen).store();
    }

    /** A store and its reader of the feed, for tests that look at the reader. */
    record Opened(JobStore store, PostgresFeed feed) {}

    /** As {@link #open(String)}, listening on {@code listen} and sending its self-check pings to {@code ping}. */
    static Opened open(String url, String listen, String ping) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setPoolName("jobline-pg");
        hc.setMaximumPoolSize(8);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(-1); // why: a node may start before its database; reads fail until it is there
        HikariDataSource pool = new HikariDataSource(hc);
        PostgresFeed[] feed = new PostgresFeed[1];
        try {
            JdbcJobStore store = new JdbcJobStore(new Postgres(), () -> connect(url), Readers.pooled(pool), 1000, s -> {
                feed[0] = new PostgresFeed(url, pool, s, listen, ping);
                return batch -> feed[0].poke();
            }, () -> feed[0].close());
            feed[0].start();
            return new Opened(store, feed[0]);
        } catch (RuntimeException e) {
            if (feed[0] != null) feed[0].close();
            pool.close();
            throw e;
        }
    }

    static Connection connect(String url) {
        try {
            return DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new StoreException("cannot connect to the database: " + e.getMessage(), e);
        }
    }

    /** PostgreSQL's differences: a version table under an advisory lock, transaction ids for positions, row locks for claims. */
    private static final class Postgres implements Dialect {
        /** The first key of the advisory locks that serialize the claims of one declared queue. */
        private static final int QUEUE_LOCKS = 0x4a4f42; // why: "JOB", apart from other users of advisory locks

        @Override
        public String name() {
            return "postgres";
        }

        @Override
        public boolean exclusive() {
            return false;
        }

        @Override
        public void migrate(Connection c) throws SQLException {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")"); // why: nodes starting together migrate one at a time
                try {
                    s.execute("CREATE TABLE IF NOT EXISTS jobline_schema (version INTEGER NOT NULL)");
                    Migrations.apply(c, "postgres", new Migrations.Version() {
                        @Override
                        public int read(Connection c) throws SQLException {
                            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(version) FROM jobline_schema")) {
                                return rs.next() ? rs.getInt(1) : 0;
                            }
                        }

                        @Override
                        public void write(Connection c, int v) throws SQLException {
                            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobline_schema (version) VALUES (?)")) {
                                ps.setInt(1, v);
                                ps.executeUpdate();
                            }
                        }
                    }, "the database");
                } finally {
                    c.setAutoCommit(true);
                    s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
                }
            }
        }

        @Override
        public long firstPosition(Connection c, long lastWritten) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
                rs.next();
                return rs.getLong(1) << 20;
            }
        }

        @Override
        public void beforeCommit(Connection c, long last, boolean wrote) throws SQLException {
            if (!wrote) return;
            try (Statement s = c.createStatement()) {
                s.execute("NOTIFY " + CHANNEL); // why: sent at commit, so every node reads the feed once this is visible
            }
        }

        @Override
        public long horizon(Connection c, long published) throws SQLException {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")) {
                rs.next();
                return (rs.getLong(1) << 20) - 1;
            }
        }

        @Override
        public String skipLocked() {
            return " FOR UPDATE SKIP LOCKED";
        }

        @Override
        public String forUpdate() {
            return " FOR UPDATE";
        }

        @Override
        public void lockQueue(Connection c, String queue) throws SQLException {
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                ps.setInt(1, QUEUE_LOCKS);
                ps.setString(2, queue);
                ps.execute();
            }
        }
    }
}
