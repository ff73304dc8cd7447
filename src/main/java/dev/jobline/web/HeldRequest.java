package dev.jobline.web;

import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * A request the server holds until its answer is ready (a long-poll), watching its connection
 * meanwhile: when the client goes away the answer is cancelled at once, so its waiter and quota
 * are released then and not when the wait passes.
 *
 * <p>why: Jetty does not read from an HTTP/1.1 connection while its request is being handled,
 * so it learns of a close only at the next write. While the request is held, this asks the
 * connection's endpoint to say when it becomes readable: at end of stream the client has gone.
 * Bytes instead mean a pipelined next request, which this server does not serve behind a held
 * one: the held request is then answered at once and the connection closed, and the client
 * sends the pipelined request again on a new connection, as HTTP/1.1 clients must.
 */
final class HeldRequest<T> {
    private static final int WATCHING = 0, CHECKING = 1, ANSWERING = 2, GONE = 3;
    private static final AtomicInteger HELD = new AtomicInteger();
    private static final Exception ANSWERED = new java.util.concurrent.CancellationException("answered");

    private final Context ctx;
    private final CompletableFuture<T> answer;
    private final Consumer<T> send;
    private final AtomicInteger state = new AtomicInteger(WATCHING);
    private final AbstractEndPoint endPoint;
    private volatile boolean pipelined;

    private HeldRequest(Context ctx, CompletableFuture<T> answer, Consumer<T> send, AbstractEndPoint endPoint) {
        this.ctx = ctx;
        this.answer = answer;
        this.send = send;
        this.endPoint = endPoint;
    }

    /** Holds the request until {@code answer} completes, then writes it with {@code send}; errors go to the exception mapping. */
    static <T> void hold(Context ctx, CompletableFuture<T> answer, Consumer<T> send) {
        HeldRequest<T> held = new HeldRequest<>(ctx, answer, send, endPoint(ctx));
        held.watch();
        HELD.incrementAndGet();
        ctx.future(() -> held.answered().whenComplete((v, e) -> HELD.decrementAndGet()));
    }

    static AbstractEndPoint endPoint(Context ctx) {
        try {
            EndPoint ep = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint();
            return ep instanceof AbstractEndPoint a ? a : null;
        } catch (RuntimeException e) {
            return null; // why: not a plain Jetty connection (a test double); the request is still answered, only later on a close
        }
    }

    private void watch() {
        if (endPoint == null || !endPoint.tryFillInterested(readable)) state.set(ANSWERING);
    }

    private final Callback readable = new Callback() {
        @Override
        public void succeeded() {
            if (!state.compareAndSet(WATCHING, CHECKING)) return;
            int n;
            try {
                n = endPoint.fill(ByteBuffer.allocate(1).flip());
            } catch (java.io.IOException e) {
                n = -1;
            }
            if (n == 0) {
                state.set(WATCHING);
                if (!endPoint.tryFillInterested(this)) state.set(ANSWERING);
                return;
            }
            if (n < 0) {
                state.set(GONE);
                answer.cancel(false);
            } else {
                pipelined = true;
                state.set(ANSWERING);
                answer.cancel(false);
                endPoint.close();
            }
        }

        @Override
        public void failed(Throwable x) {
            if (x != ANSWERED && state.compareAndSet(WATCHING, GONE)) answer.cancel(false);
        }
    };

    /** Requests held in this process whose answer is not written yet: a stopping server lets them finish first. */
    static int held() {
        return HELD.get();
    }

    /** The future Javalin waits for: the answer written, an error for the exception mapping, or nothing when the client is gone. */
    private CompletableFuture<Void> answered() {
        return answer.handle((value, error) -> {
            int s;
            while ((s = state.get()) == CHECKING) Thread.onSpinWait(); // why: a readability check is one non-blocking read
            if (s == WATCHING && state.compareAndSet(WATCHING, ANSWERING)) endPoint.getFillInterest().onFail(ANSWERED);
            if (state.get() == GONE || pipelined || answer.isCancelled()) return CompletableFuture.<Void>completedFuture(null);
            if (error != null) return CompletableFuture.<Void>failedFuture(error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
            send.accept(value);
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(f -> f);
    }
}
