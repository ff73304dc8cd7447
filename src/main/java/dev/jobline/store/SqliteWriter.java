package dev.jobline.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a SQLite store. Writes queue up while a commit is under way and go into the
 * next transaction together (group commit), so the cost of a durable commit is shared by every
 * caller waiting for it. A caller returns only once its write is committed; the store's last seq
 * is published after the commit, so readers never see a position before its data.
 */
final class SqliteWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqliteWriter.class);

    /** One write: runs inside the writer's transaction and may take positions from {@code seqs}. */
    interface Op<T> {
        T apply(Connection c, Seqs seqs) throws SQLException;
    }

    /** Hands out change-feed positions within a transaction. */
    interface Seqs {
        long next();
    }

    private record Pending<T>(Op<T> op, CompletableFuture<T> done) {}

    private static final Pending<Void> STOP = new Pending<>(null, null);

    private final Connection conn;
    private final int maxBatch;
    private final LongConsumer committed;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private long nextSeq; // only the writer thread touches it after start

    SqliteWriter(Connection conn, long lastSeq, int maxBatch, LongConsumer committed) throws SQLException {
        this.conn = conn;
        this.maxBatch = maxBatch;
        this.committed = committed;
        this.nextSeq = lastSeq + 1;
        conn.setAutoCommit(false);
        // why: a platform thread, since the driver's native calls would pin a virtual one anyway
        this.thread = Thread.ofPlatform().daemon().name("jobline-sqlite-writer").start(this::loop);
    }

    /** Runs {@code op} in the next transaction and returns its result once that is committed. */
    <T> T write(Op<T> op) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (closed) throw new IllegalStateException("the store is closed");
        Pending<T> p = new Pending<>(op, done);
        queue.add(p);
        // why: the writer may have drained the queue for the last time between our check and our add
        if (closed && queue.remove(p)) throw new IllegalStateException("the store is closed");
        try {
            return done.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("store write failed: " + e.getCause().getMessage(), e.getCause());
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
                if (p != STOP) p.done().completeExceptionally(new IllegalStateException("the store is closed"));
            }
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

    /** Commits the batch in one transaction and completes it; false (nothing completed) when it had to roll back. */
    private boolean commitTogether(List<Pending<?>> batch) {
        long firstSeq = nextSeq;
        Object[] results = new Object[batch.size()];
        try {
            for (int i = 0; i < batch.size(); i++) results[i] = batch.get(i).op().apply(conn, () -> nextSeq++);
            if (nextSeq != firstSeq) {
                try (var ps = conn.prepareStatement("UPDATE meta SET value = ? WHERE key = 'last_seq'")) {
                    ps.setString(1, Long.toString(nextSeq - 1));
                    ps.executeUpdate();
                }
            }
            conn.commit();
        } catch (Throwable e) {
            try {
                conn.rollback();
            } catch (SQLException r) {
                log.error("rollback failed", r);
            }
            nextSeq = firstSeq;
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(e instanceof RuntimeException re ? re
                        : new IllegalStateException("store write failed: " + e.getMessage(), e));
                if (e instanceof Error err) throw err;
                return true;
            }
            if (e instanceof Error err) {
                for (Pending<?> p : batch) p.done().completeExceptionally(new IllegalStateException("store write failed: " + err, err));
                throw err;
            }
            return false;
        }
        if (nextSeq != firstSeq) committed.accept(nextSeq - 1);
        complete(batch, results);
        return true;
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
