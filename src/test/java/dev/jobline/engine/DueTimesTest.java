package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.time.FakeTimers;
import dev.jobline.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DueTimesTest {
    private final FakeTimers timers = new FakeTimers(Instant.parse("2026-12-06T10:00:00Z"));
    private final AtomicInteger wakes = new AtomicInteger();
    private final DueTimes due = new DueTimes(timers, wakes::incrementAndGet);

    private Instant in(long ms) {
        return timers.clock().instant().plusMillis(ms);
    }

    @Test
    void theClaimerIsWokenAtTheDueTimeAndNotBefore() {
        due.arm(in(10_000));
        timers.advance(Duration.ofMillis(9_999));
        assertThat(wakes).hasValue(0);
        timers.advance(Duration.ofMillis(1));
        assertThat(wakes).hasValue(1);
        assertThat(due.armedFor()).isNull();
    }

    @Test
    void aSoonerTimeReplacesTheTimerAndALaterOneIsIgnored() {
        due.arm(in(10_000));
        due.arm(in(3_000));
        due.arm(in(20_000));
        assertThat(due.armedFor()).isEqualTo(in(3_000));
        assertThat(timers.pending()).as("one timer, not one per due job").isEqualTo(1);
        timers.advance(Duration.ofMillis(3_000));
        assertThat(wakes).hasValue(1);
        timers.advance(Duration.ofSeconds(60));
        assertThat(wakes).as("the replaced timer never fires").hasValue(1);
    }

    @Test
    void aTimeAlreadyPastWakesAtOnce() {
        due.arm(in(-5));
        timers.advance(Duration.ZERO);
        assertThat(wakes).hasValue(1);
    }

    @Test
    void aTimerThatComesUpBeforeTheDueTimeWaitsForTheRestInsteadOfWaking() {
        AtomicInteger early = new AtomicInteger();
        Timers onceEarly = new Timers() { // why: a scheduler may run a task a little before the clock reads its time
            @Override public java.time.Clock clock() { return timers.clock(); }
            @Override public Timer after(Duration delay, Runnable task) {
                boolean first = early.getAndIncrement() == 0;
                return timers.after(first ? delay.minusMillis(1) : delay, task);
            }
            @Override public void close() {}
        };
        DueTimes d = new DueTimes(onceEarly, wakes::incrementAndGet);
        d.arm(in(10_000));
        timers.advance(Duration.ofMillis(9_999));
        assertThat(wakes).as("not woken before the due time").hasValue(0);
        assertThat(d.armedFor()).isEqualTo(in(1));
        timers.advance(Duration.ofMillis(1));
        assertThat(wakes).hasValue(1);
        assertThat(d.armedFor()).isNull();
    }
}
