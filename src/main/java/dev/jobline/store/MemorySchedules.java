package dev.jobline.store;

import dev.jobline.job.Job;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** The schedules of a {@link MemoryJobStore}; its writes run under the store's write lock, with the job's insert. */
final class MemorySchedules {
    private final Map<String, ScheduleState> states = new ConcurrentHashMap<>();

    ScheduleState register(String name, Instant tick) {
        return states.computeIfAbsent(name, n -> new ScheduleState(n, tick, null, null));
    }

    /** The tick's run; {@code jobs} reads a stored job, {@code insert} stores the run. Called under the store's write lock. */
    ScheduleRun start(String name, Instant tick, boolean skipWhileActive, Function<String, Job> jobs, Supplier<Job> insert) {
        ScheduleState s = states.get(name);
        if (s != null && !s.lastTick().isBefore(tick)) return new ScheduleRun.Taken();
        if (skipWhileActive && s != null && s.lastJob() != null) {
            Job last = jobs.apply(s.lastJob());
            if (last != null && !last.isTerminal()) {
                states.put(name, new ScheduleState(name, tick, s.lastRunAt(), s.lastJob()));
                return new ScheduleRun.Skipped(last.id());
            }
        }
        Job stored = insert.get();
        states.put(name, new ScheduleState(name, tick, stored.createdAt(), stored.id()));
        return new ScheduleRun.Started(stored);
    }

    List<ScheduleState> all() {
        return states.values().stream().sorted(Comparator.comparing(ScheduleState::name)).toList();
    }
}
