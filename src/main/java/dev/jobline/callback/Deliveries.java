package dev.jobline.callback;

import dev.jobline.job.Job;
import dev.jobline.json.Json;
import dev.jobline.store.Delivery;
import dev.jobline.store.DeliveryAttempt;
import dev.jobline.store.DeliveryClaim;
import dev.jobline.store.FeedListener;
import dev.jobline.store.JobStore;
import dev.jobline.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the callbacks of one node: a loop that claims due deliveries from the store (each under a
 * lease, so one node sends each attempt), posts them, records each attempt and sleeps until the
 * next delivery comes due by the injected clock, or until a job with a callback ends anywhere.
 * A failed attempt is retried with exponential backoff and full jitter (up to 1 s, 2 s, 4 s, ...,
 * at most {@link #MAX_BACKOFF} apart) until the delivery is {@code retryFor} old, then the delivery
 * fails. Every URL is checked against the current allow-list right before its request.
 */
public final class Deliveries implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    private static final Duration LEASE = CallbackClient.TIMEOUT.multipliedBy(6);
    private static final Duration IDLE = Duration.ofMinutes(1);
    private static final int IN_FLIGHT = 16;

    private final JobStore store;
    private final CallbackSettings settings;
    private final String node;
    private final Timers timers;
    private final CallbackClient client = new CallbackClient();
    private final Semaphore signal = new Semaphore(0);
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final Thread loop;
    private volatile boolean closed;

    private Deliveries(JobStore store, CallbackSettings settings, String node, Timers timers) {
        this.store = store;
        this.settings = settings;
        this.node = node;
        this.timers = timers;
        store.subscribe(this::committed);
        this.loop = Thread.ofVirtual().name("jobline-callbacks").unstarted(this::run);
    }

    /** Starts sending the deliveries in {@code store} as node {@code node}. */
    public static Deliveries start(JobStore store, CallbackSettings settings, String node, Timers timers) {
        Deliveries d = new Deliveries(store, settings, node, timers);
        d.loop.start();
        return d;
    }

    private void committed(FeedListener.Batch batch) {
        for (Job j : batch.jobs()) {
            if (j.isTerminal() && j.callback() != null) {
                wake();
                return;
            }
        }
    }

    /** Makes the loop look for due deliveries now. */
    void wake() {
        signal.release();
    }

    private void run() {
        while (!closed) {
            Instant now = timers.clock().instant();
            Instant next;
            try {
                DeliveryClaim claim = store.claimDeliveries(node, now, now.plus(LEASE), slots.availablePermits());
                for (Delivery d : claim.claimed()) {
                    slots.acquireUninterruptibly();
                    Thread.ofVirtual().name("jobline-callback-" + d.id()).start(() -> {
                        try {
                            attempt(d);
                        } catch (RuntimeException e) {
                            log.warn("callback delivery {} failed to be recorded; it is tried again after its lease: {}", d.id(), e.getMessage());
                        } finally {
                            slots.release();
                            wake();
                        }
                    });
                }
                next = claim.nextDue();
            } catch (RuntimeException e) {
                if (closed) return;
                log.warn("could not claim callback deliveries; trying again in 5 s: {}", e.getMessage());
                next = now.plusSeconds(5);
            }
            sleepUntil(next == null ? now.plus(IDLE) : next.isAfter(now.plus(IDLE)) ? now.plus(IDLE) : next, now);
        }
    }

    /** Waits until {@code until} by the injected clock, or a wake; at least a little, so that another node's claim in progress is not spun on. */
    private void sleepUntil(Instant until, Instant now) {
        Duration d = Duration.between(now, until);
        if (d.compareTo(Duration.ofMillis(50)) < 0) d = Duration.ofMillis(50);
        if (slots.availablePermits() == 0) d = IDLE; // why: a finishing attempt wakes the loop
        Timers.Timer timer = timers.after(d, this::wake);
        signal.acquireUninterruptibly();
        timer.cancel();
        signal.drainPermits();
    }

    private void attempt(Delivery d) {
        int n = d.attempts() + 1;
        Instant at = timers.clock().instant();
        CallbackClient.Outcome outcome;
        boolean giveUp = false;
        if (!settings.policy().allows(d.url())) {
            outcome = new CallbackClient.Outcome(null, "not sent: the URL is not allowed by --callback-allow now");
            giveUp = true;
        } else {
            Optional<Job> job = store.get(d.jobId());
            if (job.isEmpty()) return; // why: the job was deleted, and its delivery with it
            byte[] body = Json.job(job.get());
            long t = at.getEpochSecond();
            outcome = client.post(d.url(), body, d.event(), d.id(), settings.signer().header(t, body));
        }
        if (closed) return; // why: stopping cut the attempt short; the next start tries it again
        Delivery.State state;
        Instant nextDue = null;
        if (outcome.delivered()) {
            state = Delivery.State.DELIVERED;
        } else if (giveUp || !at.isBefore(d.createdAt().plus(settings.retryFor()))) {
            state = Delivery.State.FAILED;
        } else {
            state = Delivery.State.PENDING;
            nextDue = at.plus(backoff(n));
        }
        if (!store.recordAttempt(d, node, new DeliveryAttempt(d.id(), n, at, outcome.status(), outcome.error(), state), nextDue)) {
            log.debug("callback delivery {} attempt {} was not recorded: its lease was lost", d.id(), n);
        } else if (state == Delivery.State.FAILED) {
            log.warn("callback of job {} given up after {} attempts: {}", d.jobId(), n, outcome.error());
        }
    }

    /** The wait after failed attempt {@code n}: random up to 2^(n-1) s (full jitter), capped, and at least 100 ms. */
    static Duration backoff(int n) {
        long cap = n >= 20 ? MAX_BACKOFF.toMillis() : Math.min(MAX_BACKOFF.toMillis(), 1000L << (n - 1));
        return Duration.ofMillis(Math.max(100, ThreadLocalRandom.current().nextLong(cap + 1)));
    }

    /** Stops the loop; attempts in flight are cut short and tried again by the next start (or another node). */
    @Override
    public void close() {
        closed = true;
        wake();
        client.close();
        try {
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
