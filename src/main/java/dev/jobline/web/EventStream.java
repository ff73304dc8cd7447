package dev.jobline.web;

import dev.jobline.job.JobException;
import dev.jobline.time.Timers;
import dev.jobline.watch.StreamSlot;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Server-Sent Events response: a waiter that is armed again after each send. It waits on
 * its {@link Source} (a job, the collection or a log, which registers an ordinary waiter and
 * holds no thread), writes what the answer brings on the thread that answered it, and arms the
 * next wait; what changed meanwhile is read at that next wait, so a reader slower than the
 * changes gets the latest state, not a queue of old ones. At most one answer is buffered per
 * stream; a write a reader does not take within {@code stallAfter} closes the stream (the client
 * resumes with Last-Event-ID; see {@link StreamStalls}), so a slow reader holds back nobody but itself. A quiet stream
 * sends a {@code : keep-alive} comment; it ends after {@code maxStream}, when its source says so,
 * when the server drains, or when the client goes away (which releases its waiter at once).
 */
final class EventStream {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] START = "retry: 1000\n\n".getBytes(StandardCharsets.US_ASCII);

    /** What a stream follows. */
    interface Source {
        /** The events after those sent, at once or within {@code wait} (none when it passed); throws Draining or NotFound. */
        CompletableFuture<Events> next(Duration wait, StreamSlot slot);
    }

    /** Events to write (possibly none), and whether the stream ends after them. */
    record Events(byte[] bytes, boolean last) {
        static final Events NONE = new Events(new byte[0], false);
        static final Events END = new Events(new byte[0], true);
    }

    private final Context ctx;
    private final Source source;
    private final StreamSlot slot;
    private final StreamOptions options;
    private final Timers timers;
    private final StreamStalls stalls;
    private final long deadline;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicBoolean closedSlot = new AtomicBoolean();
    private volatile CompletableFuture<Events> current;
    /** Where a woken stream writes its answer: a virtual thread each, so streams woken together write at once. */
    private static final java.util.concurrent.Executor WRITERS = command -> Thread.ofVirtual().name("jobline-stream").start(command);

    private EventStream(Context ctx, Source source, StreamSlot slot, StreamOptions options, Timers timers, StreamStalls stalls) {
        this.ctx = ctx;
        this.stalls = stalls;
        this.source = source;
        this.slot = slot;
        this.options = options;
        this.timers = timers;
        this.deadline = timers.clock().millis() + options.maxStream().toMillis();
    }

    /** Whether the request asks for a stream: its Accept names text/event-stream. */
    static boolean wanted(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
    }

    /** The Last-Event-ID header, else the {@code after} query parameter, else null. */
    static String resumeFrom(Context ctx) {
        String id = ctx.header("Last-Event-ID");
        if (id != null && !id.isBlank()) return id.strip();
        return ctx.queryParam("after");
    }

    /** Starts the stream on {@code ctx} within {@code slot}, which it closes when it ends. */
    static void start(Context ctx, Source source, StreamSlot slot, StreamOptions options, Timers timers, StreamStalls stalls) {
        EventStream s = new EventStream(ctx, source, slot, options, timers, stalls);
        ctx.status(200);
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Accel-Buffering", "no"); // why: tells a proxy such as nginx to pass each event on at once
        ctx.contentType("text/event-stream; charset=utf-8");
        s.ended.whenComplete((v, e) -> s.stop());
        if (!s.write(START)) {
            s.ended.complete(null);
        }
        HeldRequest.hold(ctx, s.ended, v -> {});
        s.run();
    }

    /** Waits and writes while answers are ready at once; returns when one must be waited for, or the stream ended. */
    private void run() {
        while (!ended.isDone()) {
            long left = deadline - timers.clock().millis();
            if (left <= 0) {
                ended.complete(null);
                return;
            }
            CompletableFuture<Events> next;
            try {
                next = source.next(left < options.keepAlive().toMillis() ? Duration.ofMillis(left) : options.keepAlive(), slot);
            } catch (JobException.Draining | JobException.NotFound e) {
                ended.complete(null);
                return;
            } catch (RuntimeException e) {
                log.warn("a stream stopped: {}", e.toString());
                ended.complete(null);
                return;
            }
            current = next;
            if (ended.isDone()) { // why: the client left while we armed; its waiter goes now
                next.cancel(false);
                return;
            }
            if (!next.isDone()) {
                // why: on a thread of its own, not the one that answered: a change wakes every stream on one thread, and
                // each write waits for its flush, so 10,000 streams written in turn took over a second to reach the last
                next.whenCompleteAsync((ev, e) -> {
                    if (handle(next)) run();
                }, WRITERS);
                return;
            }
            if (!handle(next)) return;
        }
    }

    /** Writes an answer; false when the stream ended. */
    private boolean handle(CompletableFuture<Events> answer) {
        if (ended.isDone() || answer.isCancelled()) return false;
        Events ev;
        try {
            ev = answer.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (!(cause instanceof JobException.Draining) && !(cause instanceof JobException.NotFound)
                    && !(cause instanceof java.util.concurrent.CancellationException)) {
                log.warn("a stream stopped: {}", cause.toString());
            }
            ended.complete(null);
            return false;
        }
        byte[] bytes = ev.bytes().length > 0 ? ev.bytes() : ev.last() || timers.clock().millis() >= deadline ? null : KEEP_ALIVE;
        if (bytes != null && !write(bytes)) {
            ended.complete(null);
            return false;
        }
        if (ev.last()) {
            ended.complete(null);
            return false;
        }
        return true;
    }

    /** Writes and flushes; closes the connection when the reader does not take it within stallAfter. False when it failed. */
    private boolean write(byte[] bytes) {
        boolean[] written = {false};
        stalls.write(this::closeConnection, () -> {
            try {
                OutputStream out = ctx.res().getOutputStream();
                out.write(bytes);
                out.flush();
                written[0] = true;
            } catch (IOException | RuntimeException e) {
                written[0] = false;
            }
        });
        return written[0];
    }

    /** Closes the connection under a write its reader does not take: the write fails and the stream ends. */
    private void closeConnection() {
        AbstractEndPoint endPoint = HeldRequest.endPoint(ctx);
        if (endPoint != null) endPoint.close();
    }

    /** The stream ended (or its client went away): its waiter and place are given back. */
    private void stop() {
        CompletableFuture<Events> c = current;
        if (c != null && !c.isDone()) c.cancel(false);
        if (closedSlot.compareAndSet(false, true)) slot.close();
    }
}
