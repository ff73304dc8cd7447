package dev.jobline.store;

import dev.jobline.job.Job;

/** What {@link JobStore#startScheduled} did for one tick of a schedule. */
public sealed interface ScheduleRun {

    /** The job is stored as the tick's run. */
    record Started(Job job) implements ScheduleRun {}

    /** The tick is handled without a run: the schedule's last run, {@code activeJob}, is still queued or running. */
    record Skipped(String activeJob) implements ScheduleRun {}

    /** The tick (or a later one) was handled already, by this node or another; nothing was stored. */
    record Taken() implements ScheduleRun {}
}
