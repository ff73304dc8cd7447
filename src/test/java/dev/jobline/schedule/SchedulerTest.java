package dev.jobline.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import dev.jobline.store.JobStore;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.time.FakeTimers;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduler on the settable clock: one run per tick, overlap skip or allow, a missed run started once. */
@Timeout(30)
class SchedulerTest {
    private static final Instant START = Instant.parse("2026-12-06T10:00:00.500Z");

    private final JobStore store = new MemoryJobStore();
    private final FakeTimers timers = new FakeTimers(START);
    private final AtomicBoolean draining = new AtomicBoolean();

    @AfterEach
    void close() {
        store.close();
    }

    private static Schedule schedule(String name, String cron, ZoneId zone, boolean allow) {
        return new Schedule(name, cron, zone, "sleep", Json.MAPPER.createObjectNode().put("seconds", 1), allow, Ticks.parse(cron, zone));
    }

    private Scheduler scheduler(Schedule... schedules) {
        return new Scheduler(store, List.of(schedules), timers, Runnable::run, draining::get).start();
    }

    private List<Job> jobs() {
        return store.active().stream().sorted(java.util.Comparator.comparing(Job::seq)).toList();
    }

    @Test
    void everyTwoSecondsStartsOneJobPerTickAtTheTick() {
        try (Scheduler s = scheduler(schedule("two", "@every 2s", ZoneOffset.UTC, true))) {
            assertThat(jobs()).as("no run at start: nothing was missed").isEmpty();
            timers.advance(Duration.ofMillis(10_000));
            assertThat(jobs()).extracting(Job::createdAt).containsExactly(Instant.parse("2026-12-06T10:00:02Z"),
                    Instant.parse("2026-12-06T10:00:04Z"), Instant.parse("2026-12-06T10:00:06Z"), Instant.parse("2026-12-06T10:00:08Z"),
                    Instant.parse("2026-12-06T10:00:10Z"));
            assertThat(jobs()).allSatisfy(j -> {
                assertThat(j.type()).isEqualTo("sleep");
                assertThat(j.params().get("seconds").asInt()).isEqualTo(1);
                assertThat(j.owner()).isNull();
            });
            assertThat(timers.pending()).as("one timer: the next tick, no polling").isEqualTo(1);
        }
    }

    @Test
    void eachRunTakesItsTypesDefaultRetry() {
        dev.jobline.job.RetryPolicy retry = new dev.jobline.job.RetryPolicy(4, Duration.ofSeconds(2), Duration.ofMinutes(1));
        Schedule plain = schedule("two", "@every 2s", ZoneOffset.UTC, true);
        Schedule retried = new Schedule(plain.name(), plain.cron(), plain.zone(), plain.type(), plain.params(), true, plain.ticks(), retry);
        try (Scheduler s = scheduler(retried)) {
            timers.advance(Duration.ofMillis(2_000));
            assertThat(jobs()).singleElement().satisfies(j -> assertThat(j.retry()).isEqualTo(retry));
        }
    }

    @Test
    void twoNodesTryingEveryTickStartOneJobPerTick() {
        Schedule every = schedule("two", "@every 2s", ZoneOffset.UTC, true);
        try (Scheduler a = scheduler(every); Scheduler b = scheduler(every)) {
            timers.advance(Duration.ofMillis(20_000));
            assertThat(jobs()).hasSize(10);
            assertThat(jobs()).extracting(Job::createdAt).doesNotHaveDuplicates();
        }
    }

    @Test
    void overlapSkipStartsNothingWhileTheLastRunIsActiveAndAllowDoes() {
        try (Scheduler s = scheduler(schedule("skip", "@every 2s", ZoneOffset.UTC, false), schedule("allow", "@every 2s", ZoneOffset.UTC, true))) {
            timers.advance(Duration.ofMillis(6_000));
            assertThat(jobs()).hasSize(1 + 3);
            Job skipRun = store.get(store.schedules().stream().filter(st -> st.name().equals("skip")).findFirst().orElseThrow().lastJob())
                    .orElseThrow();
            assertThat(skipRun.createdAt()).isEqualTo(Instant.parse("2026-12-06T10:00:02Z"));
            Job running = store.update(Transitions.claim(skipRun, "n1", timers.clock().instant()), skipRun.version()).orElseThrow();
            timers.advance(Duration.ofMillis(2_000));
            assertThat(jobs()).as("still running: skipped again").hasSize(1 + 4);
            store.update(Transitions.finish(running, null, Json.MAPPER.createObjectNode(), null, timers.clock().instant()), running.version())
                    .orElseThrow();
            timers.advance(Duration.ofMillis(2_000));
            assertThat(s.list()).filteredOn(i -> i.name().equals("skip")).singleElement().satisfies(i -> {
                assertThat(i.lastRunAt()).isEqualTo(Instant.parse("2026-12-06T10:00:10Z"));
                assertThat(i.lastJob()).isNotEqualTo(skipRun.id());
                assertThat(i.nextRunAt()).isEqualTo(Instant.parse("2026-12-06T10:00:12Z"));
            });
        }
    }

    @Test
    void aRunMissedWhileNoNodeWasUpStartsOnceAtTheNextStartNotOncePerMissedTick() {
        Schedule minute = schedule("minute", "* * * * *", ZoneOffset.UTC, true);
        try (Scheduler s = scheduler(minute)) {
            timers.advance(Duration.ofMinutes(1));
            assertThat(jobs()).hasSize(1);
        }
        timers.advance(Duration.ofHours(3)); // no node up: 180 ticks pass
        try (Scheduler s = scheduler(minute, schedule("new", "* * * * *", ZoneOffset.UTC, true))) {
            assertThat(jobs()).as("one missed run, of the newest tick; nothing for a schedule seen for the first time").hasSize(2);
            assertThat(s.list().getFirst().lastRunAt()).isEqualTo(timers.clock().instant());
            timers.advance(Duration.ofSeconds(60));
            assertThat(jobs()).as("the next tick goes on as usual, for both").hasSize(4);
        }
        try (Scheduler s = scheduler(minute)) {
            assertThat(jobs()).as("a restart with nothing missed starts nothing").hasSize(4);
        }
    }

    @Test
    void hourlyAndDailyRunInTheirTimeZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        try (Scheduler s = scheduler(schedule("hourly", "@hourly", berlin, true), schedule("daily", "@daily", berlin, true))) {
            assertThat(s.list()).extracting(Scheduler.Info::nextRunAt)
                    .containsExactly(Instant.parse("2026-12-06T11:00:00Z"), Instant.parse("2026-12-06T23:00:00Z"));
            timers.advance(Duration.ofHours(48));
            assertThat(jobs()).hasSize(48 + 2);
            assertThat(store.schedules()).extracting(st -> st.lastRunAt())
                    .containsExactly(Instant.parse("2026-12-07T23:00:00Z"), Instant.parse("2026-12-08T10:00:00Z"));
        }
    }

    @Test
    void acrossBerlinsChangesAFixedLocalTimeRunsOnceOnTheFallBackNightAndNotOnTheSpringForwardOne() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        for (String[] night : new String[][] {{"2026-10-24T20:00:00Z", "1"}, {"2026-03-28T20:00:00Z", "0"}}) {
            JobStore own = new MemoryJobStore();
            FakeTimers t = new FakeTimers(Instant.parse(night[0]));
            try (Scheduler s = new Scheduler(own, List.of(schedule("half-past-two", "30 2 * * *", berlin, true),
                    schedule("hourly", "0 * * * *", berlin, true)), t, Runnable::run, () -> false).start()) {
                t.advance(Duration.ofHours(12)); // 21:00 to 09:00 local
                long halfPastTwo = own.active().stream().filter(j -> j.createdAt().atZone(berlin).getMinute() == 30).count();
                assertThat(halfPastTwo).as("runs of 02:30 the night of " + night[0]).isEqualTo(Long.parseLong(night[1]));
                long hourly = own.active().stream().filter(j -> j.createdAt().atZone(berlin).getMinute() == 0).count();
                assertThat(hourly).as("hourly runs: 12 hours of time, one more or less on the wall").isEqualTo(12);
            } finally {
                own.close();
            }
        }
    }

    @Test
    void aDrainingNodeStartsNoRuns() {
        try (Scheduler s = scheduler(schedule("two", "@every 2s", ZoneOffset.UTC, true))) {
            draining.set(true);
            timers.advance(Duration.ofMillis(4_000));
            assertThat(jobs()).isEmpty();
        }
    }
}
