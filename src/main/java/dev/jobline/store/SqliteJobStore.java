package dev.jobline.store;

import dev.jobline.job.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Jobs in an embedded SQLite file ({@code DATA/jobline.db}): WAL journal with synchronous=FULL, so
 * a write is on disk when it returns. One writer thread groups concurrent writes into one
 * transaction; reads use a small pool of their own connections and never wait for the writer.
 */
public final class SqliteJobStore implements JobStore {
    private static final int READERS = 2;

    private final SqliteWriter writer;
    private final Connection writeConn;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    /**
     * Reads run here, on platform threads: the driver's native calls would pin the carrier of a
     * virtual thread, and there are only as many carriers as cores.
     */
    private final ExecutorService readPool = Executors.newFixedThreadPool(READERS, r -> {
        Thread t = new Thread(r, "jobline-sqlite-reader");
        t.setDaemon(true);
        return t;
    });
    private final String feedId;
    private volatile long lastSeq;
    private volatile long forgottenBefore;

    private SqliteJobStore(Path file, int maxBatch) throws SQLException {
        writeConn = connect(file);
        Migrations.apply(writeConn);
        try (Statement s = writeConn.createStatement()) {
            s.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('feed_id', '"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "')");
            s.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('last_seq', '0')");
            s.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('forgotten_before', '0')");
        }
        feedId = meta("feed_id");
        lastSeq = Long.parseLong(meta("last_seq"));
        forgottenBefore = Long.parseLong(meta("forgotten_before"));
        for (int i = 0; i < READERS; i++) {
            Connection r = connect(file);
            try (Statement s = r.createStatement()) {
                s.execute("PRAGMA query_only = ON");
            }
            readers.add(r);
        }
        writer = new SqliteWriter(writeConn, lastSeq, maxBatch, seq -> lastSeq = seq);
    }

    /** Opens (creating and migrating as needed) the store in {@code dataDir}. */
    public static SqliteJobStore open(Path dataDir) {
        return open(dataDir, 1000);
    }

    /** Opens the store with at most {@code maxBatch} writes a transaction (1 turns group commit off). */
    public static SqliteJobStore open(Path dataDir, int maxBatch) {
        try {
            Files.createDirectories(dataDir);
            return new SqliteJobStore(dataDir.resolve("jobline.db"), maxBatch);
        } catch (java.io.IOException | SQLException e) {
            throw new IllegalStateException("cannot open the store in " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL"); // why: set explicitly; the driver's default differs
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }

    private String meta(String key) throws SQLException {
        try (PreparedStatement ps = writeConn.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private interface Read<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T read(Read<T> r) {
        Future<T> result = readPool.submit(() -> {
            Connection c = readers.take();
            try {
                return r.apply(c);
            } finally {
                readers.add(c);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the store", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("store read failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public Job insert(Job job) {
        return writer.write((c, seqs) -> insertRow(c, job, seqs.next()));
    }

    private static Job insertRow(Connection c, Job job, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (" + JobRows.COLUMNS
                + ", created_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            JobRows.bind(ps, job, seq);
            ps.setLong(17, seq);
            ps.executeUpdate();
        }
        return job.withSeq(seq);
    }

    @Override
    public IdempotencyKey insert(Job job, IdempotencyKey key) {
        return writer.write((c, seqs) -> {
            Optional<IdempotencyKey> existing = findKey(c, key.scope(), key.key());
            if (existing.isPresent()) return existing.get();
            insertRow(c, job, seqs.next());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO idempotency_keys (scope, key, request_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, key.scope());
                ps.setString(2, key.key());
                ps.setString(3, key.requestHash());
                ps.setString(4, job.id());
                ps.setLong(5, key.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
            return key;
        });
    }

    @Override
    public Optional<IdempotencyKey> findKey(String scope, String key) {
        return read(c -> findKey(c, scope, key));
    }

    private static Optional<IdempotencyKey> findKey(Connection c, String scope, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT request_hash, job_id, created_at FROM idempotency_keys WHERE scope = ? AND key = ?")) {
            ps.setString(1, scope);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new IdempotencyKey(scope, key, rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
        }
    }

    @Override
    public Optional<Job> update(Job job) {
        return writer.write((c, seqs) -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET (" + JobRows.COLUMNS
                    + ") = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ? AND version < ?")) {
                long seq = seqs.next();
                JobRows.bind(ps, job, seq);
                ps.setString(17, job.id());
                ps.setLong(18, job.version());
                if (ps.executeUpdate() == 1) return Optional.of(job.withSeq(seq));
            }
            return getRow(c, job.id()); // why: lost the race to a newer version, or the job is gone
        });
    }

    @Override
    public Optional<Job> get(String id) {
        return read(c -> getRow(c, id));
    }

    private static Optional<Job> getRow(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JobRows.read(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Job> list(JobFilter filter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.states() != null && !filter.states().isEmpty()) {
            sql.append(" AND state IN (").append("?, ".repeat(filter.states().size() - 1)).append("?)");
            filter.states().forEach(s -> args.add(s.wireName()));
        }
        if (filter.type() != null) {
            sql.append(" AND type = ?");
            args.add(filter.type());
        }
        if (filter.owner() != null) {
            sql.append(" AND owner = ?");
            args.add(filter.owner());
        }
        sql.append(" ORDER BY created_seq DESC LIMIT ?");
        args.add(limit);
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                return readJobs(ps);
            }
        });
    }

    private static List<Job> readJobs(PreparedStatement ps) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(JobRows.read(rs));
        }
        return out;
    }

    @Override
    public boolean delete(String id, Instant now) {
        return writer.write((c, seqs) -> SqliteFeed.deleteRow(c, id, seqs.next(), now));
    }

    @Override
    public List<String> deleteFinishedBefore(Instant cutoff, Instant now, int limit) {
        return writer.write((c, seqs) -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ? LIMIT ?")) {
                ps.setLong(1, cutoff.toEpochMilli());
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
            }
            for (String id : ids) SqliteFeed.deleteRow(c, id, seqs.next(), now);
            return ids;
        });
    }

    @Override
    public void forgetBefore(Instant cutoff) {
        long forgotten = writer.write((c, seqs) -> SqliteFeed.forget(c, cutoff));
        if (forgotten > forgottenBefore) forgottenBefore = forgotten;
    }

    @Override
    public ChangeSet changesSince(long seq, int limit) {
        long upTo = lastSeq;
        if (seq > upTo || seq < forgottenBefore) return null;
        return read(c -> {
            ChangeSet changes = SqliteFeed.changes(c, seq, upTo, limit);
            return seq < forgottenBefore ? null : changes; // why: tombstones were forgotten while we read; the answer may lack some
        });
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public String feedId() {
        return feedId;
    }

    @Override
    public List<Job> unfinished() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS
                    + " FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_seq")) {
                return readJobs(ps);
            }
        });
    }

    @Override
    public void close() {
        writer.close();
        readPool.shutdown();
        for (Connection c : readers) closeQuietly(c);
        closeQuietly(writeConn);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
