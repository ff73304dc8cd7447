package dev.jobline.store;

import java.time.Instant;

/**
 * What the store knows of a recurring job's schedule, shared by every node: the newest tick it
 * was handled for ({@code lastTick}: started, or skipped while its last run was active, or the
 * tick before the first start), and its last run: when it started and its job (both null before).
 */
public record ScheduleState(String name, Instant lastTick, Instant lastRunAt, String lastJob) {}
