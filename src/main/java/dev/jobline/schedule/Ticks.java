package dev.jobline.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.jobline.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

/**
 * When a schedule runs: absolute instants that every node computes alike from the schedule
 * alone, so nodes agree on each run's time. A five-field cron (minute hour day month weekday) is
 * read in its time zone by cron-utils: a local time that a daylight-saving change skips does not
 * occur that day, and one that occurs twice runs once (at its first occurrence) unless the hour
 * field has a {@code *}: such patterns go by the clock on the wall ({@code 0 * * * *} runs at both
 * 02:00 of a fall-back night).
 * {@code @every D} runs at every whole multiple of D since the epoch (1970-01-01T00:00Z);
 * {@code @hourly} is {@code 0 * * * *} and {@code @daily} {@code 0 0 * * *}.
 */
public sealed interface Ticks {
    /** The rule of a cron field as the file's errors state it. */
    String RULE = "must be five fields (minute hour day month weekday), like \"0 3 * * *\", or @every 30s, @hourly or @daily";

    /** The first tick strictly after {@code t}. */
    Instant next(Instant t);

    /** The newest tick at or before {@code t}; null when there is none. */
    Instant latest(Instant t);

    /** The ticks of {@code cron} in {@code zone}; IllegalArgumentException whose message says what is wrong. */
    static Ticks parse(String cron, ZoneId zone) {
        String text = cron.trim();
        if (text.startsWith("@every")) {
            String span = text.substring("@every".length()).trim();
            Duration d;
            try {
                d = Durations.parse(span);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("@every " + e.getMessage());
            }
            if (d.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("@every must be at least 1s, not '" + span + "'");
            return new Every(d.toMillis());
        }
        String fields = switch (text) {
            case "@hourly" -> "0 * * * *";
            case "@daily" -> "0 0 * * *";
            default -> text;
        };
        if (fields.startsWith("@")) throw new IllegalArgumentException("'" + text + "' is not one of @every D, @hourly, @daily; cron " + RULE);
        try {
            return new Cron(ExecutionTime.forCron(Cron.PARSER.parse(fields).validate()), zone, fields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' " + RULE + " (" + e.getMessage() + ")");
        }
    }

    /** Every whole multiple of {@code millis} since the epoch. */
    record Every(long millis) implements Ticks {
        @Override
        public Instant next(Instant t) {
            return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), millis) * millis + millis);
        }

        @Override
        public Instant latest(Instant t) {
            return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), millis) * millis);
        }
    }

    /**
     * A five-field cron in a time zone. {@code wallClock}: the hour field has a {@code *}, so the
     * pattern runs in both passes of an hour that a fall-back change repeats; a fixed hour runs in
     * the first pass only.
     */
    record Cron(ExecutionTime times, ZoneId zone, boolean wallClock) implements Ticks {
        static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
        private static final Duration WALK = Duration.ofDays(1);
        private static final int WALK_STEPS = 2 * 24 * 60;

        Cron(ExecutionTime times, ZoneId zone, String fields) {
            this(times, zone, fields.trim().split("\\s+")[1].contains("*"));
        }

        @Override
        public Instant next(Instant t) {
            Instant at = t;
            for (int i = 0; i < 3; i++) {
                at = times.nextExecution(at.atZone(zone)).map(ZonedDateTime::toInstant).orElse(null);
                ZoneOffsetTransition repeated = at == null ? null : secondPass(at);
                if (repeated == null) return at;
                // why: cron-utils gives a fixed time's second pass when asked from inside the repeated hour; go past it
                at = repeated.getInstant().plus(repeated.getDuration().abs()).minusMillis(1);
            }
            return null;
        }

        @Override
        public Instant latest(Instant t) {
            Instant before = times.lastExecution(t.atZone(zone)).map(ZonedDateTime::toInstant).orElse(null);
            if (before != null && secondPass(before) != null) {
                // why: cron-utils' lastExecution may give a second pass that next() skips; walk the ticks next() gives instead
                Instant from = before.minus(WALK);
                Instant n = next(from);
                before = null;
                for (int i = 0; n != null && !n.isAfter(t) && i < WALK_STEPS; i++) {
                    before = n;
                    n = next(n);
                }
            }
            // why: cron-utils' lastExecution is strictly before its argument; a tick exactly at t counts
            Instant after = next(before == null ? t.minusSeconds(60) : before);
            if (after != null && !after.isAfter(t)) return after;
            return before;
        }

        /** The fall-back change whose repeated hour {@code at} is the second pass of, for a fixed time; else null. */
        private ZoneOffsetTransition secondPass(Instant at) {
            if (wallClock) return null;
            ZonedDateTime local = at.atZone(zone);
            ZoneOffsetTransition change = zone.getRules().getTransition(local.toLocalDateTime());
            return change != null && change.isOverlap() && local.getOffset().equals(change.getOffsetAfter()) ? change : null;
        }
    }
}
