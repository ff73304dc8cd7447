package dev.jobline.watch;

import dev.jobline.time.Timers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One client waiting for a change: answered once, either by the change or by its timeout, and
 * then gone from every set it was in. The answer is completed on {@code executor}, never on the
 * thread that made the change, so one change to a job with many waiters writes their responses
 * on every core instead of one after another on the job's thread.
 */
public final class Waiter<T> {
    private final CompletableFuture<T> answer = new CompletableFuture<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private final Executor executor;
    private final WaiterSet<T> set;
    private final AtomicInteger count;
    private final Predicate<T> wanted;
    private final LongConsumer woken;
    private volatile Timers.Timer timer;

    /** @param woken told, after an answer a change woke is handed over, how many nanoseconds that took since the change */
    Waiter(Executor executor, WaiterSet<T> set, AtomicInteger count, Predicate<T> wanted, LongConsumer woken) {
        this.executor = executor;
        this.set = set;
        this.count = count;
        this.wanted = wanted;
        this.woken = woken;
    }

    public CompletableFuture<T> answer() {
        return answer;
    }

    void setTimer(Timers.Timer t) {
        timer = t;
        if (done.get()) t.cancel();
    }

    /**
     * Answers with {@code value} if it is what this waiter waits for and it was not answered yet;
     * true if this call answered it. A value it does not want (an older version that reached it
     * late) leaves it waiting.
     */
    public boolean wake(T value) {
        return wanted.test(value) && finish(() -> value);
    }

    /** As {@link #wake(Object)}, for a change this node heard of at {@code changedAt} ({@link System#nanoTime()}). */
    boolean wake(T value, long changedAt) {
        if (!wanted.test(value) || !leave()) return false;
        executor.execute(() -> {
            answer.complete(value);
            woken.accept(System.nanoTime() - changedAt);
        });
        return true;
    }

    /** Answers with {@code value} whatever it is: the server is going away. */
    public boolean release(T value) {
        return finish(() -> value);
    }

    boolean finish(Supplier<T> value) {
        if (!leave()) return false;
        executor.execute(() -> {
            try {
                answer.complete(value.get());
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        return true;
    }

    /** Takes this waiter out of its set, its timer and the count, once; true if this call did. */
    boolean leave() {
        if (!done.compareAndSet(false, true)) return false;
        Timers.Timer t = timer;
        if (t != null) t.cancel();
        set.remove(this);
        count.decrementAndGet();
        return true;
    }

    public boolean isDone() {
        return done.get();
    }
}
