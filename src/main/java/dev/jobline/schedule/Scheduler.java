package dev.jobline.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.Job;
import dev.jobline.job.RunOptions;
import dev.jobline.store.JobStore;
import dev.jobline.store.ScheduleRun;
import dev.jobline.store.ScheduleState;
import dev.jobline.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the runs of the schedules file on this node. Each schedule sleeps on the injected
 * {@link Timers} until its next tick, then asks the store to start the tick's run
 * ({@link JobStore#startScheduled}): every node tries every tick, and the store lets exactly one
 * start it. At start, a schedule whose newest tick before now was never handled (no node was up
 * then) starts one run at once, however many ticks it missed.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    /** A schedule as {@code GET /api/schedules} shows it. */
    public record Info(String name, String cron, String timezone, String type, ObjectNode params,
                       Instant nextRunAt, Instant lastRunAt, String lastJob) {}

    private final JobStore store;
    private final List<Schedule> schedules;
    private final Timers timers;
    private final Executor runs;
    private final BooleanSupplier paused;
    private final Map<String, Instant> handled = new ConcurrentHashMap<>();
    private final Map<String, Timers.Timer> armed = new ConcurrentHashMap<>();
    /**
     * Held while this node asks the store for a run. why: a transaction that locked two schedules' rows
     * (two ticks of one instant grouped into one commit) could deadlock with another node's that locked
     * them in the other order; one ask at a time keeps each transaction to one schedule's row.
     */
    private final ReentrantLock asking = new ReentrantLock();
    private volatile boolean closed;

    /**
     * @param runs where a tick's work runs once its timer fires (a virtual thread each in production, so
     *     a store write never holds up the timers' thread)
     * @param paused whether the node refuses new work now (draining): its ticks start nothing
     */
    public Scheduler(JobStore store, List<Schedule> schedules, Timers timers, Executor runs, BooleanSupplier paused) {
        this.store = store;
        this.schedules = List.copyOf(schedules);
        this.timers = timers;
        this.runs = runs;
        this.paused = paused;
    }

    /** Starts the runs missed while no node was up (one per schedule), then waits for each schedule's next tick. */
    public Scheduler start() {
        for (Schedule s : schedules) {
            Instant now = now();
            Instant latest = s.ticks().latest(now);
            Instant since = latest == null ? now : latest;
            try {
                ScheduleState state = store.registerSchedule(s.name(), since);
                if (state.lastTick().isBefore(since)) {
                    log.info("schedule {} missed its run of {} while no node was up; starting it once now", s.name(), since);
                    run(s, since);
                }
            } catch (RuntimeException e) {
                log.warn("schedule {}: could not check for a missed run: {}", s.name(), e.getMessage());
            }
            handled.putIfAbsent(s.name(), since);
            arm(s);
        }
        return this;
    }

    /** Sleeps until the schedule's next tick. */
    private void arm(Schedule s) {
        if (closed) return;
        Instant now = now();
        Instant next = s.ticks().next(now);
        if (next == null) return;
        armed.put(s.name(), timers.after(Duration.between(now, next), () -> runs.execute(() -> tick(s))));
        if (closed) armed.remove(s.name()).cancel(); // why: close() may have cancelled the timers just before this one was put
    }

    private void tick(Schedule s) {
        try {
            Instant tick = s.ticks().latest(now());
            Instant last = handled.get(s.name());
            if (tick != null && (last == null || tick.isAfter(last)) && !closed && !paused.getAsBoolean()) {
                handled.put(s.name(), tick);
                run(s, tick);
            }
        } catch (RuntimeException e) {
            log.warn("schedule {}: could not start its run: {}", s.name(), e.getMessage());
        } finally {
            arm(s);
        }
    }

    /** Asks the store for the tick's run; what it did is logged. */
    private ScheduleRun run(Schedule s, Instant tick) {
        ScheduleRun r;
        asking.lock();
        try {
            // why: a run is a job like a submitted one, with its type's default retry
            Job job = RunOptions.NONE.applyTo(Job.queued(UUID.randomUUID().toString(), s.type(), s.params().deepCopy(), null, now()), s.retry());
            r = store.startScheduled(s.name(), tick, job, !s.allowOverlap());
        } finally {
            asking.unlock();
        }
        switch (r) {
            case ScheduleRun.Started started -> log.info("schedule {} started job {} for {}", s.name(), started.job().id(), tick);
            case ScheduleRun.Skipped skipped -> log.info("schedule {} skipped {}: its last run {} is still active", s.name(), tick,
                    skipped.activeJob());
            case ScheduleRun.Taken taken -> log.debug("schedule {}: {} was started by another node", s.name(), tick);
        }
        return r;
    }

    /** The schedules with their next run and, from the store, their last. */
    public List<Info> list() {
        Map<String, ScheduleState> states = store.schedules().stream().collect(Collectors.toMap(ScheduleState::name, Function.identity()));
        Instant now = now();
        List<Info> out = new ArrayList<>(schedules.size());
        for (Schedule s : schedules) {
            ScheduleState st = states.get(s.name());
            out.add(new Info(s.name(), s.cron(), s.zone().getId(), s.type(), s.params(), s.ticks().next(now),
                    st == null ? null : st.lastRunAt(), st == null ? null : st.lastJob()));
        }
        return out;
    }

    public boolean isEmpty() {
        return schedules.isEmpty();
    }

    private Instant now() {
        return timers.clock().instant();
    }

    /** Stops waiting for ticks; a run being started finishes. */
    @Override
    public void close() {
        closed = true;
        armed.values().forEach(Timers.Timer::cancel);
        armed.clear();
    }
}
