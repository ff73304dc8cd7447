package dev.jobline.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's reader of the shared feed. It LISTENs on a connection of its own; each NOTIFY (from
 * any node's commit) makes it read the feed after the last position it published and hand what
 * it read to the store's subscribers, in feed order. When the listening connection breaks (a
 * database restart) or notifications stop arriving (a pooler in transaction mode cannot LISTEN),
 * it reads the feed on a short interval instead, and reconnects, until a notification arrives
 * again: no change is missed, it is only later.
 */
final class PostgresFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresFeed.class);
    private static final int READ_LIMIT = 1000;
    /** Reading the feed this often when LISTEN cannot be trusted. */
    private static final long POLL_MILLIS = 200;
    /** Without a notification for this long, the reader pings itself to check that LISTEN works. */
    private static final long QUIET_MILLIS = 2_000;

    private final String url;
    private final DataSource pool;
    private final JdbcJobStore store;
    private final Semaphore pokes = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;
    private Connection listening; // only the reader's thread touches it
    private volatile boolean trusted = true; // only the reader's thread writes it
    private long lastHeard = System.nanoTime();
    private long pingSent;

    private final String channel;
    private final String pingChannel;

    /** Listens on {@code channel} and pings {@code pingChannel} (the same but in a test that makes the ping go astray). */
    PostgresFeed(String url, DataSource pool, JdbcJobStore store, String channel, String pingChannel) {
        this.channel = channel;
        this.pingChannel = pingChannel;
        this.url = url;
        this.pool = pool;
        this.store = store;
        this.thread = Thread.ofPlatform().daemon().name("jobline-pg-feed").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** A commit of this node: read the feed now rather than at its NOTIFY (when LISTEN is not trusted). */
    void poke() {
        pokes.release();
    }

    private void loop() {
        while (!closed) {
            try {
                boolean heard = await();
                if (heard) {
                    lastHeard = System.nanoTime();
                    if (!trusted) log.info("listening for the feed's notifications again");
                    trusted = true;
                }
                catchUp();
                checkListening();
            } catch (InterruptedException e) {
                if (closed) return;
                // why: only close() may end the reader; a node whose reader stopped would serve stale jobs for good
                log.warn("the feed's reader was interrupted; it reads on");
            } catch (RuntimeException | SQLException | Error e) {
                if (closed) return;
                if (e instanceof Error) log.error("the feed's reader failed; it reads on", e);
                dropListener();
                if (trusted) log.warn("lost the feed's notifications ({}); reading the feed every {} ms until they are back", e.getMessage(), POLL_MILLIS);
                trusted = false;
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException ie) {
                    // why: close() interrupts, and the loop's condition ends the reader then; nothing else may
                }
            }
        }
    }

    /** Waits for a notification (true) or for the time to read anyway (false). */
    private boolean await() throws SQLException, InterruptedException {
        if (listening == null) {
            try {
                listening = PostgresJobStore.connect(url);
                try (Statement s = listening.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
            } catch (RuntimeException | SQLException e) {
                dropListener();
                pokes.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS);
                pokes.drainPermits();
                return false;
            }
        }
        PGConnection pg = listening.unwrap(PGConnection.class);
        int wait = trusted ? 500 : (int) POLL_MILLIS;
        PGNotification[] got = pg.getNotifications(wait);
        pokes.drainPermits();
        return got != null && got.length > 0;
    }

    private void catchUp() {
        while (true) {
            long from = store.lastPosition();
            FeedListener.Batch b = store.readFeed(from, READ_LIMIT);
            if (b.position() <= from && b.jobs().isEmpty() && b.deleted().isEmpty()) return;
            store.publish(b);
            if (b.jobs().size() + b.deleted().size() < READ_LIMIT) return;
        }
    }

    /** Pings this node's own channel when it has been quiet, and stops trusting LISTEN when the ping does not come back. */
    private void checkListening() throws SQLException {
        long now = System.nanoTime();
        if (!trusted || now - lastHeard < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
            if (trusted) pingSent = 0;
            if (!trusted && listening != null && pingSent == 0) ping(now);
            return;
        }
        if (pingSent == 0) {
            ping(now);
        } else if (now - pingSent > TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
            log.warn("the feed's notifications stopped arriving (a pooler in transaction mode?); reading the feed every {} ms", POLL_MILLIS);
            trusted = false;
            pingSent = 0;
        }
    }

    private void ping(long now) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            if (!c.getAutoCommit()) c.setAutoCommit(true);
            s.execute("NOTIFY " + pingChannel + ", 'ping'");
        }
        pingSent = now;
    }

    /** Whether notifications are trusted now (waits of 500 ms), or the feed is read every 200 ms instead. */
    boolean trusted() {
        return trusted;
    }

    private void dropListener() {
        if (listening != null) JdbcJobStore.close(listening);
        listening = null;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropListener();
    }
}
