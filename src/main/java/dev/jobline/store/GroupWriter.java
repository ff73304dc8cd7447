package dev.jobline.store;

import dev.jobline.job.Job;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a JDBC store in this process. Writes queue up while a commit is under way and
 * go into the next transaction together (group commit), so the cost of a durable commit is
 * shared by every caller waiting for it. A caller returns only once its write is committed, and
 * what the transaction changed is handed to {@code committed} first, so a caller's own next read
 * of the feed already has it.
 */
final class GroupWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupWriter.class);

    /** One write: runs inside the writer's transaction. */
    interface Op<T> {
        T apply(Tx tx) throws SQLException;
    }

    /** A write transaction as an op sees it: the connection, feed positions, and a record of what changed. */
    interface Tx {
        Connection c();

        /** The next feed position in this transaction. */
        long position();

        /** Notes a job version written at its seq. */
        void changed(Job job);

        /** Notes a tombstone written. */
        void deleted(String id, String owner);

        /** Notes lines added to a job's log, up to number {@code last}. */
        void logged(String id, long last);
    }

    private record Pending<T>(Op<T> op, CompletableFuture<T> done) {}

    private static final Pending<Void> STOP = new Pending<>(null, null);

    private final Supplier<Connection> connect;
    private final Dialect dialect;
    private final int maxBatch;
    private final Consumer<FeedListener.Batch> committed;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile CommitTimer timer = CommitTimer.NONE;
    private Connection conn; // only the writer thread touches it after start
    private long lastWritten; // only the writer thread touches it after start

    GroupWriter(Supplier<Connection> connect, Dialect dialect, long lastWritten, int maxBatch,
                Consumer<FeedListener.Batch> committed) {
        this.connect = connect;
        this.dialect = dialect;
        this.maxBatch = maxBatch;
        this.committed = committed;
        this.lastWritten = lastWritten;
        // why: a platform thread, since the SQLite driver's native calls would pin a virtual one anyway
        this.thread = Thread.ofPlatform().daemon().name("jobline-store-writer").start(this::loop);
    }

    void timeCommits(CommitTimer t) {
        timer = t;
    }

    /** Runs {@code op} in the next transaction and returns its result once that is committed. */
    <T> T write(Op<T> op) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (closed) throw new StoreException("the store is closed");
        Pending<T> p = new Pending<>(op, done);
        queue.add(p);
        // why: the writer may have drained the queue for the last time between our check and our add
        if (closed && queue.remove(p)) throw new StoreException("the store is closed");
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new StoreException("store write failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void loop() {
        try {
            work();
        } catch (Throwable t) {
            log.error("the store's writer stopped", t);
        } finally {
            closed = true;
            List<Pending<?>> left = new ArrayList<>();
            queue.drainTo(left);
            for (Pending<?> p : left) {
                if (p != STOP) p.done().completeExceptionally(new StoreException("the store is closed"));
            }
            close(conn);
        }
    }

    private void work() {
        List<Pending<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            if (batch.remove(STOP)) stopping = true;
            if (batch.isEmpty()) continue;
            if (!commitTogether(batch)) {
                for (Pending<?> p : batch) commitTogether(List.of(p)); // why: one bad write must not fail its neighbours
            }
        }
    }

    private final class Changes implements Tx {
        final Map<String, Job> jobs = new LinkedHashMap<>();
        final List<ChangeSet.Deleted> deleted = new ArrayList<>();
        final Map<String, Long> logs = new LinkedHashMap<>();
        long next = -1;
        long first = -1;

        @Override
        public Connection c() {
            return conn;
        }

        @Override
        public long position() {
            if (first < 0) { // why: only a transaction that writes the feed asks the database for positions
                try {
                    first = dialect.firstPosition(conn, lastWritten);
                } catch (SQLException e) {
                    throw new StoreException("cannot take a feed position: " + e.getMessage(), e);
                }
                next = first;
            }
            return next++;
        }

        boolean wrote() {
            return first >= 0;
        }

        @Override
        public void changed(Job job) {
            jobs.remove(job.id());
            jobs.put(job.id(), job);
        }

        @Override
        public void deleted(String id, String owner) {
            jobs.remove(id);
            logs.remove(id);
            deleted.add(new ChangeSet.Deleted(id, owner));
        }

        @Override
        public void logged(String id, long last) {
            logs.merge(id, last, Math::max);
        }
    }

    /** Commits the batch in one transaction and completes it; false (nothing completed) when it had to roll back. */
    private boolean commitTogether(List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Changes tx;
        long began = System.nanoTime();
        try {
            if (conn == null) {
                conn = connect.get();
                conn.setAutoCommit(false);
            }
            tx = new Changes();
            for (int i = 0; i < batch.size(); ) {
                if (!(batch.get(i).op() instanceof RowUpdate)) {
                    results[i] = batch.get(i).op().apply(tx);
                    i++;
                    continue;
                }
                List<RowUpdate> run = new ArrayList<>(); // why: neighbouring row updates go to the database as one batch, in order
                for (int j = i; j < batch.size() && batch.get(j).op() instanceof RowUpdate u; j++) run.add(u);
                for (Object r : RowUpdate.applyAll(tx, run)) results[i++] = r;
            }
            dialect.beforeCommit(conn, tx.next - 1, tx.wrote());
            conn.commit();
        } catch (Throwable e) {
            rollback();
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(e instanceof RuntimeException re ? re
                        : new StoreException("store write failed: " + e.getMessage(), e));
                if (e instanceof Error err) throw err;
                return true;
            }
            if (e instanceof Error err) {
                for (Pending<?> p : batch) p.done().completeExceptionally(new StoreException("store write failed: " + err, err));
                throw err;
            }
            return false;
        }
        timer.committed(batch.size(), System.nanoTime() - began);
        if (tx.wrote()) {
            lastWritten = tx.next - 1;
            committed.accept(new FeedListener.Batch(List.copyOf(tx.jobs.values()), List.copyOf(tx.deleted), Map.copyOf(tx.logs), lastWritten));
        }
        complete(batch, results);
        return true;
    }

    /** Rolls back; a connection that is broken is dropped, and the next batch opens a new one. */
    private void rollback() {
        if (conn == null) return;
        try {
            conn.rollback();
            if (conn.isValid(2)) return;
        } catch (SQLException r) {
            log.warn("rollback failed; opening a new connection for the next write: {}", r.getMessage());
        }
        close(conn);
        conn = null;
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    @SuppressWarnings("unchecked")
    private static void complete(List<Pending<?>> batch, Object[] results) {
        for (int i = 0; i < batch.size(); i++) ((CompletableFuture<Object>) batch.get(i).done()).complete(results[i]);
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
