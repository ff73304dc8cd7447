package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every JobStore must do with recurring jobs' runs: one job per schedule and tick, however
 * many writers (nodes) try it at once; run for every store as a part of {@link JobStoreContract}.
 */
abstract class ScheduleContract {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.000Z");

    abstract JobStore store();

    /** Another node's store over the same data, or the same store where one process owns it. */
    abstract JobStore otherNode();

    private static Job job() {
        return Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.createObjectNode().put("seconds", 1), null, T0);
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static long started(List<ScheduleRun> runs) {
        return runs.stream().filter(r -> r instanceof ScheduleRun.Started).count();
    }

    @Test
    void aTickStartsItsJobOnceAndAnOlderOrTheSameTickIsTaken() {
        ScheduleRun first = store().startScheduled("nightly", at(10), job(), false);
        assertThat(first).isInstanceOf(ScheduleRun.Started.class);
        Job started = ((ScheduleRun.Started) first).job();
        assertThat(store().get(started.id())).isPresent();
        assertThat(store().startScheduled("nightly", at(10), job(), false)).isInstanceOf(ScheduleRun.Taken.class);
        assertThat(store().startScheduled("nightly", at(5), job(), true)).isInstanceOf(ScheduleRun.Taken.class);
        assertThat(store().schedules()).containsExactly(new ScheduleState("nightly", at(10), started.createdAt(), started.id()));
        assertThat(store().startScheduled("other", at(10), job(), false)).as("another schedule's same tick").isInstanceOf(ScheduleRun.Started.class);
    }

    @Test
    void ofManyWritersOfOneTickExactlyOneStartsAJob() throws Exception {
        for (int round = 1; round <= 5; round++) {
            Instant tick = at(round * 2);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<ScheduleRun>> tries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                JobStore s = i % 2 == 0 ? store() : otherNode();
                tries.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        if (!go.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return s.startScheduled("every-2s", tick, job(), false);
                }));
            }
            go.countDown();
            List<ScheduleRun> runs = new ArrayList<>();
            for (CompletableFuture<ScheduleRun> f : tries) runs.add(f.get(30, TimeUnit.SECONDS));
            assertThat(started(runs)).as("round " + round + ": runs started").isEqualTo(1);
            assertThat(runs).filteredOn(r -> !(r instanceof ScheduleRun.Started)).allMatch(r -> r instanceof ScheduleRun.Taken);
            Job started = runs.stream().filter(r -> r instanceof ScheduleRun.Started).map(r -> ((ScheduleRun.Started) r).job())
                    .findFirst().orElseThrow();
            assertThat(otherNode().schedules()).containsExactly(new ScheduleState("every-2s", tick, started.createdAt(), started.id()));
        }
    }

    @Test
    void withSkipATickWhileTheLastRunIsActiveIsHandledWithoutARunAndAllowStartsOne() {
        Job first = ((ScheduleRun.Started) store().startScheduled("s", at(1), job(), true)).job();
        ScheduleRun skipped = store().startScheduled("s", at(2), job(), true);
        assertThat(skipped).isEqualTo(new ScheduleRun.Skipped(first.id()));
        assertThat(store().startScheduled("s", at(2), job(), true)).as("the skipped tick is handled").isInstanceOf(ScheduleRun.Taken.class);
        assertThat(store().schedules()).containsExactly(new ScheduleState("s", at(2), first.createdAt(), first.id()));

        Job running = store().update(Transitions.claim(first, "n1", T0), first.version()).orElseThrow();
        assertThat(store().startScheduled("s", at(3), job(), true)).as("running").isEqualTo(new ScheduleRun.Skipped(first.id()));
        ScheduleRun allowed = store().startScheduled("s", at(4), job(), false);
        assertThat(allowed).as("allow").isInstanceOf(ScheduleRun.Started.class);
        Job second = ((ScheduleRun.Started) allowed).job();

        store().update(Transitions.finish(running, null, null, new JobError("x", "error"), T0), running.version()).orElseThrow();
        assertThat(store().startScheduled("s", at(5), job(), true)).as("the newest run is what counts")
                .isEqualTo(new ScheduleRun.Skipped(second.id()));
        Job secondRunning = store().update(Transitions.claim(second, "n1", T0), second.version()).orElseThrow();
        store().update(Transitions.finish(secondRunning, null, Json.MAPPER.createObjectNode(), null, T0), secondRunning.version()).orElseThrow();
        assertThat(store().startScheduled("s", at(6), job(), true)).as("ended").isInstanceOf(ScheduleRun.Started.class);
    }

    @Test
    void registeringKeepsAKnownScheduleAndRecordsANewOneAsHandledUpToTheTick() {
        assertThat(store().registerSchedule("new", at(60))).isEqualTo(new ScheduleState("new", at(60), null, null));
        assertThat(store().startScheduled("new", at(60), job(), false)).as("the registered tick").isInstanceOf(ScheduleRun.Taken.class);
        Job run = ((ScheduleRun.Started) store().startScheduled("new", at(120), job(), false)).job();
        assertThat(otherNode().registerSchedule("new", at(180))).as("known: kept as it is")
                .isEqualTo(new ScheduleState("new", at(120), run.createdAt(), run.id()));
    }
}
