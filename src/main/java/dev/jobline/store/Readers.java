package dev.jobline.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** Where a JDBC store's reads run: connections of their own, never the writer's. */
abstract class Readers implements AutoCloseable {

    interface Read<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Runs {@code r} on a reading connection, in one transaction (so in one snapshot). */
    abstract <T> T read(Read<T> r);

    @Override
    public abstract void close();

    static RuntimeException failed(Throwable e) {
        if (e instanceof RuntimeException r) return r;
        return new StoreException("store read failed: " + e.getMessage(), e);
    }

    /**
     * A few fixed connections, used on platform threads of their own: the SQLite driver's native
     * calls would pin the carrier of a virtual thread, and there are only as many carriers as cores.
     */
    static Readers fixed(int n, Supplier<Connection> connect) {
        return new Fixed(n, connect);
    }

    /** Connections borrowed from a pool for each read, on the caller's thread. */
    static Readers pooled(DataSource pool) {
        return new Pooled(pool);
    }

    private static final class Fixed extends Readers {
        private final BlockingQueue<Connection> idle;
        private final ExecutorService threads;

        Fixed(int n, Supplier<Connection> connect) {
            idle = new ArrayBlockingQueue<>(n);
            threads = Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(r, "jobline-store-reader");
                t.setDaemon(true);
                return t;
            });
            for (int i = 0; i < n; i++) idle.add(connect.get());
        }

        @Override
        <T> T read(Read<T> r) {
            Future<T> result = threads.submit(() -> {
                Connection c = idle.take();
                try {
                    return r.apply(c);
                } finally {
                    if (!c.getAutoCommit()) c.rollback();
                    idle.add(c);
                }
            });
            try {
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while reading the store", e);
            } catch (ExecutionException e) {
                throw failed(e.getCause());
            }
        }

        @Override
        public void close() {
            threads.shutdown();
            for (Connection c : idle) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private static final class Pooled extends Readers {
        private final DataSource pool;

        Pooled(DataSource pool) {
            this.pool = pool;
        }

        @Override
        <T> T read(Read<T> r) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    return r.apply(c);
                } finally {
                    c.rollback();
                }
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() {
            if (pool instanceof AutoCloseable a) {
                try {
                    a.close();
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }
    }
}
