package dev.jobline.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobline.job.Job;
import dev.jobline.job.JobState;
import dev.jobline.job.LogLine;
import dev.jobline.job.Transitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Jobs in a SQL database, the same SQL on every database it runs on ({@link Dialect} holds the
 * few differences). One writer per process groups concurrent writes into one transaction (see
 * {@link GroupWriter}); reads use connections of their own and never wait for it.
 */
final class JdbcJobStore implements JobStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Dialect dialect;
    private final GroupWriter writer;
    private final Readers readers;
    private final String feedId;
    private final List<FeedListener> listeners = new CopyOnWriteArrayList<>();
    private final Runnable onClose;
    private final JdbcUploads uploads;
    private final JdbcSchedules schedules;
    private volatile long published;

    /**
     * @param announce what to do with each committed batch: {@link #publish} it (a store one process
     *     owns), or ask a feed reader to read the shared feed (so batches reach listeners in feed order)
     */
    JdbcJobStore(Dialect dialect, Supplier<Connection> writerConnection, Readers readers, int maxBatch,
                 java.util.function.Function<JdbcJobStore, Consumer<FeedListener.Batch>> announce, Runnable onClose) {
        this.dialect = dialect;
        this.readers = readers;
        this.onClose = onClose;
        this.uploads = new JdbcUploads(this, dialect);
        this.schedules = new JdbcSchedules(this, dialect);
        Connection c = writerConnection.get();
        long last;
        try {
            dialect.migrate(c);
            c.setAutoCommit(true);
            String id = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            for (String[] kv : new String[][] {{"feed_id", id}, {"last_seq", "0"}, {"forgotten_before", "0"}}) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")) {
                    ps.setString(1, kv[0]);
                    ps.setString(2, kv[1]);
                    ps.executeUpdate();
                }
            }
            feedId = meta(c, "feed_id");
            last = Long.parseLong(meta(c, "last_seq"));
            c.setAutoCommit(false);
            published = dialect.horizon(c, last);
            c.commit();
        } catch (SQLException e) {
            close(c);
            throw new IllegalStateException("cannot open the " + dialect.name() + " store: " + e.getMessage(), e);
        }
        Connection first = c;
        boolean[] used = {false};
        Consumer<FeedListener.Batch> onCommit = announce.apply(this);
        this.writer = new GroupWriter(() -> {
            if (!used[0]) {
                used[0] = true;
                return first;
            }
            return writerConnection.get();
        }, dialect, last, maxBatch, onCommit);
    }

    private static String meta(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Tells the subscribers of a committed batch, in feed order; its position becomes the newest published. */
    void publish(FeedListener.Batch batch) {
        if (batch.position() > published) published = batch.position();
        FeedListener.tellAll(listeners, batch);
    }

    @Override
    public void timeCommits(CommitTimer timer) {
        writer.timeCommits(timer);
    }

    <T> T read(Readers.Read<T> r) {
        return readers.read(r);
    }

    <T> T write(GroupWriter.Op<T> op) {
        return writer.write(op);
    }

    @Override
    public Insert insert(Job job, Admission admission) {
        return writer.write(tx -> {
            Connection c = tx.c();
            IdempotencyKey key = admission.key();
            if (key != null) {
                Optional<IdempotencyKey> existing = findKey(c, key.scope(), key.key());
                if (existing.isPresent()) return new Insert.KeyTaken(existing.get());
            }
            String missing = uploads.firstMissing(c, admission.uploads());
            if (missing != null) return new Insert.UploadMissing(missing);
            JdbcDependents.Admitted deps = JdbcDependents.admit(c, dialect, job, -1);
            if (deps.refused() != null) return deps.refused();
            if (admission.rate() != null) {
                double wait = takeToken(c, admission.rate());
                if (wait > 0) return new Insert.RateLimited(wait);
            }
            if (key != null) {
                Optional<IdempotencyKey> taken = JdbcKeys.take(c, key, job.id());
                if (taken.isPresent()) return new Insert.KeyTaken(taken.get());
            }
            Job stored = insertRow(tx, deps.job());
            JdbcUploads.link(c, job.id(), admission.uploads());
            JdbcDependents.link(c, List.of(stored));
            return new Insert.Inserted(stored);
        });
    }

    /** Writes a new job's row at the next feed position (with its callback's delivery when it is due); the job as stored. */
    static Job insertRow(GroupWriter.Tx tx, Job job) throws SQLException {
        long seq = tx.position();
        try (PreparedStatement ps = tx.c().prepareStatement("INSERT INTO jobs (" + JobRows.COLUMNS + ", created_seq) VALUES ("
                + JobRows.MARKS + ", ?)")) {
            JobRows.bind(ps, job, seq);
            ps.setLong(JobRows.COUNT + 1, seq);
            ps.executeUpdate();
        }
        JdbcDeliveries.createIfDue(tx.c(), job);
        Job stored = job.withSeq(seq);
        tx.changed(stored);
        return stored;
    }

    @Override
    public Insert insertBatch(Job parent, List<Job> children, Admission admission) {
        return writer.write(tx -> {
            IdempotencyKey key = admission.key();
            if (key != null) {
                Optional<IdempotencyKey> existing = findKey(tx.c(), key.scope(), key.key());
                if (existing.isPresent()) return new Insert.KeyTaken(existing.get());
            }
            if (admission.rate() != null) {
                double wait = takeToken(tx.c(), admission.rate());
                if (wait > 0) return new Insert.RateLimited(wait);
            }
            return JdbcBatches.insert(tx, dialect, parent, children, key);
        });
    }

    @Override
    public Optional<Job> batchPercent(String parentId, double runningPercentSum, Instant now) {
        return writer.write(tx -> JdbcDependents.batchPercent(tx, dialect, parentId, runningPercentSum, now));
    }

    private double takeToken(Connection c, Admission.Rate rate) throws SQLException {
        String owner = rate.owner() == null ? "" : rate.owner();
        // why: the row exists before it is locked, so the first submits of an owner on two nodes share one new bucket
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rate_buckets (owner, tokens, at) VALUES (?, ?, ?) ON CONFLICT (owner) DO NOTHING")) {
            ps.setString(1, owner);
            ps.setDouble(2, Buckets.capacity(rate));
            ps.setLong(3, rate.now().toEpochMilli());
            ps.executeUpdate();
        }
        Double tokens = null;
        long at = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT tokens, at FROM rate_buckets WHERE owner = ?" + dialect.forUpdate())) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    tokens = rs.getDouble(1);
                    at = rs.getLong(2);
                }
            }
        }
        Buckets.Taken t = Buckets.take(tokens, at, rate);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rate_buckets (owner, tokens, at) VALUES (?, ?, ?)"
                + " ON CONFLICT (owner) DO UPDATE SET tokens = excluded.tokens, at = excluded.at")) {
            ps.setString(1, owner);
            ps.setDouble(2, t.tokens());
            ps.setLong(3, t.atMillis());
            ps.executeUpdate();
        }
        return t.waitSeconds();
    }

    @Override
    public Optional<IdempotencyKey> findKey(String scope, String key) {
        return read(c -> findKey(c, scope, key));
    }

    private static Optional<IdempotencyKey> findKey(Connection c, String scope, String key) throws SQLException {
        return JdbcKeys.find(c, scope, key);
    }

    @Override
    public Optional<Job> update(Job next, long expectedVersion) {
        return writer.write(new RowUpdate(next, expectedVersion));
    }

    @Override
    public Optional<Job> update(Job next, long expectedVersion, LogTail tail) {
        if (tail == null) return update(next, expectedVersion);
        return writer.write(tx -> { // why: one transaction, not two: a job that logs as it ends costs the store one commit
            JdbcLogs.append(tx, dialect, next.id(), tail.lines(), tail.skipped(), tail.keep());
            return new RowUpdate(next, expectedVersion).apply(tx);
        });
    }

    @Override
    public List<Job> claim(String node, Collection<String> types, Map<String, Integer> queues, int max, Instant now) {
        if (max <= 0 || types.isEmpty()) return List.of();
        return writer.write(tx -> claimRows(tx, ClaimSql.ready(tx.c(), dialect, types, queues, max, now), node, now));
    }

    @Override
    public Optional<Instant> nextDue(Instant now) {
        return Optional.ofNullable(read(c -> ClaimSql.nextDue(c, dialect, now)));
    }

    /** Marks the rows a claim read as running on {@code node}, in one batch: one round trip to the database for all of them. */
    private static List<Job> claimRows(GroupWriter.Tx tx, List<Job> ready, String node, Instant now) throws SQLException {
        if (ready.isEmpty()) return List.of();
        List<RowUpdate> run = new ArrayList<>(ready.size());
        for (Job j : ready) run.add(new RowUpdate(Transitions.claim(j, node, now), j.version()));
        List<Job> claimed = new ArrayList<>(run.size());
        for (Optional<Job> stored : RowUpdate.applyAll(tx, run)) stored.ifPresent(claimed::add);
        return claimed;
    }

    @Override
    public Optional<Job> get(String id) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(JobRows.read(rs)) : Optional.empty();
                }
            }
        });
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
        if (filter.parent() != null) {
            sql.append(" AND parent = ?");
            args.add(filter.parent());
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
    public List<Job> active() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS
                    + " FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_seq")) {
                return readJobs(ps);
            }
        });
    }

    @Override
    public Deletion delete(String id, Instant now) {
        return writer.write(tx -> {
            String state;
            String owner;
            try (PreparedStatement ps = tx.c().prepareStatement("SELECT state, owner FROM jobs WHERE id = ?" + dialect.forUpdate())) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Deletion.MISSING;
                    state = rs.getString(1);
                    owner = rs.getString(2);
                }
            }
            if (!JobState.fromWire(state).isTerminal()) return Deletion.NOT_TERMINAL;
            JdbcFeed.deleteRow(tx, id, owner, now);
            uploads.release(tx.c(), id, now);
            return Deletion.DELETED;
        });
    }

    @Override
    public List<String> deleteFinishedBefore(Instant cutoff, Instant now, int limit) {
        return writer.write(tx -> {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement ps = tx.c().prepareStatement(
                    "SELECT id, owner FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ? LIMIT ?" + dialect.skipLocked())) {
                ps.setLong(1, cutoff.toEpochMilli());
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            List<String> ids = new ArrayList<>();
            for (String[] r : rows) {
                JdbcFeed.deleteRow(tx, r[0], r[1], now);
                uploads.release(tx.c(), r[0], now);
                ids.add(r[0]);
            }
            return ids;
        });
    }

    @Override
    public void forgetBefore(Instant cutoff) {
        writer.write(tx -> JdbcFeed.forget(tx.c(), cutoff));
    }

    @Override
    public long appendLog(String jobId, List<LogLine> lines, long skipped, int keep) {
        return writer.write(tx -> JdbcLogs.append(tx, dialect, jobId, lines, skipped, keep));
    }

    @Override
    public LogPage readLog(String jobId, long after, int limit) {
        return read(c -> JdbcLogs.read(c, jobId, after, limit));
    }

    @Override
    public ChangeSet changesSince(long seq, int limit) {
        long known = published;
        return read(c -> {
            long upTo = dialect.horizon(c, known);
            long forgotten = Long.parseLong(meta(c, "forgotten_before"));
            if (seq > upTo || seq < forgotten) return null;
            return JdbcFeed.changes(c, seq, upTo, limit);
        });
    }

    /** Everything after {@code seq} up to the horizon, for a feed reader; never null. */
    FeedListener.Batch readFeed(long seq, int limit) {
        long known = published;
        return read(c -> {
            long upTo = dialect.horizon(c, known);
            if (upTo <= seq) return new FeedListener.Batch(List.of(), List.of(), seq);
            ChangeSet cs = JdbcFeed.changes(c, seq, upTo, limit);
            return new FeedListener.Batch(cs.jobs(), cs.deleted(), cs.logs(), cs.cursor());
        });
    }

    @Override
    public long lastPosition() {
        return published;
    }

    @Override
    public String feedId() {
        return feedId;
    }

    @Override
    public void subscribe(FeedListener listener) {
        listeners.add(listener);
    }

    @Override
    public DeliveryClaim claimDeliveries(String node, Instant now, Instant leaseUntil, int max) {
        return writer.write(tx -> JdbcDeliveries.claim(tx.c(), dialect, node, now, leaseUntil, max));
    }

    @Override
    public boolean recordAttempt(Delivery delivery, String node, DeliveryAttempt attempt, Instant nextDue) {
        return writer.write(tx -> JdbcDeliveries.record(tx.c(), delivery, node, attempt, nextDue));
    }

    @Override
    public List<DeliveryAttempt> deliveries(String jobId) {
        return read(c -> JdbcDeliveries.list(c, jobId));
    }

    @Override
    public void heartbeat(NodeInfo n) {
        String waiters;
        try {
            waiters = MAPPER.writeValueAsString(n.waiters());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        writer.write(tx -> {
            try (PreparedStatement ps = tx.c().prepareStatement("INSERT INTO nodes (id, started_at, heartbeat_at, running, draining, waiters)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at,"
                    + " running = excluded.running, draining = excluded.draining, waiters = excluded.waiters")) {
                ps.setString(1, n.id());
                ps.setLong(2, n.startedAt().toEpochMilli());
                ps.setLong(3, n.heartbeatAt().toEpochMilli());
                ps.setInt(4, n.running());
                ps.setInt(5, n.draining() ? 1 : 0);
                ps.setString(6, waiters);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<NodeInfo> nodes() {
        return read(c -> {
            List<NodeInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, started_at, heartbeat_at, running, draining, waiters FROM nodes ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Integer> waiters;
                    try {
                        waiters = MAPPER.readValue(rs.getString(6), new TypeReference<Map<String, Integer>>() {});
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        waiters = Map.of();
                    }
                    out.add(new NodeInfo(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3)),
                            rs.getInt(4), rs.getInt(5) == 1, waiters));
                }
            }
            return out;
        });
    }

    @Override
    public void removeNode(String id) {
        writer.write(tx -> {
            try (PreparedStatement ps = tx.c().prepareStatement("DELETE FROM nodes WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public ScheduleState registerSchedule(String name, Instant tick) {
        return schedules.register(name, tick);
    }

    @Override
    public ScheduleRun startScheduled(String name, Instant tick, Job job, boolean skipWhileActive) {
        return schedules.start(name, tick, job, skipWhileActive);
    }

    @Override
    public List<ScheduleState> schedules() {
        return schedules.all();
    }

    @Override
    public UploadStore uploads() {
        return uploads;
    }

    @Override
    public boolean exclusive() {
        return dialect.exclusive();
    }

    @Override
    public void close() {
        writer.close();
        if (onClose != null) onClose.run();
        readers.close();
    }

    static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
