package dev.jobline.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.RetryPolicy;
import java.time.ZoneId;

/**
 * One recurring job of the schedules file: a job of {@code type} with {@code params} (checked
 * against the type's schema, defaults filled in) at each of its {@link Ticks}.
 *
 * @param allowOverlap whether a tick starts a run while the last run is still queued or running
 * @param retry its type's default retry, given to each run (null: none)
 */
public record Schedule(String name, String cron, ZoneId zone, String type, ObjectNode params, boolean allowOverlap, Ticks ticks,
                       RetryPolicy retry) {

    /** A schedule whose type retries nothing by default. */
    public Schedule(String name, String cron, ZoneId zone, String type, ObjectNode params, boolean allowOverlap, Ticks ticks) {
        this(name, cron, zone, type, params, allowOverlap, ticks, null);
    }

    /** The overlap rule's name in the file and the API. */
    public String overlap() {
        return allowOverlap ? "allow" : "skip";
    }
}
