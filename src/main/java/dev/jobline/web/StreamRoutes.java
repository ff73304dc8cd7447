package dev.jobline.web;

import dev.jobline.engine.JobEngine;
import dev.jobline.job.Job;
import dev.jobline.job.JobException;
import dev.jobline.job.LogLine;
import dev.jobline.json.Json;
import dev.jobline.store.JobFilter;
import dev.jobline.store.LogPage;
import dev.jobline.watch.Cursor;
import dev.jobline.watch.JobWatch;
import dev.jobline.watch.Listing;
import dev.jobline.watch.StreamSlot;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The Server-Sent Events of the job routes, chosen by {@code Accept: text/event-stream}: one job
 * ({@code event: job}, {@code id:} its version), the collection ({@code event: job} and
 * {@code event: deleted}, {@code id:} a cursor; {@code event: reset} with a full listing) and a
 * job's log ({@code event: line}, {@code id:} its number). Each resumes after its Last-Event-ID
 * (or {@code after}) exactly, with the same versions, cursors and line numbers as the long-polls.
 */
final class StreamRoutes {
    private final JobEngine engine;
    private final JobWatch watch;
    private final StreamOptions options;
    private final StreamStalls stalls;

    StreamRoutes(JobEngine engine, JobWatch watch, StreamOptions options) {
        this.engine = engine;
        this.watch = watch;
        this.options = options;
        this.stalls = new StreamStalls(watch.timers(), options.stallAfter());
    }

    /** {@code GET /api/jobs/{id}} as a stream: every version after the one resumed from, until the job ends. */
    void job(Context ctx, String id) {
        String from = EventStream.resumeFrom(ctx);
        long after = from == null ? 0 : JobRoutes.parseVersion(from);
        Job now = engine.get(id).filter(j -> Auth.maySee(ctx, j)).orElseThrow(() -> new JobException.NotFound(id));
        if (now.isTerminal() && now.version() <= after) {
            ctx.status(204); // why: the client has the end; 204 tells an EventSource not to connect again
            return;
        }
        String owner = Auth.owner(ctx);
        EventStream.start(ctx, new JobSource(id, after, owner), watch.openStream(owner), options, watch.timers(), stalls);
    }

    /** {@code GET /api/jobs} as a stream: a listing first (or the changes after the cursor resumed from), then every change. */
    void list(Context ctx, JobFilter filter, int limit) {
        String from = EventStream.resumeFrom(ctx);
        Cursor cursor = null;
        if (from != null) {
            try {
                cursor = Cursor.parse(from);
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest(e.getMessage().replace("after must", "after (or Last-Event-ID) must")).toException();
            }
        }
        String owner = Auth.owner(ctx);
        EventStream.start(ctx, new ChangeSource(filter, limit, cursor, owner), watch.openStream(owner), options, watch.timers(), stalls);
    }

    /** {@code GET /api/jobs/{id}/log} as a stream: every line after the one resumed from, until the job ends and all are sent. */
    void log(Context ctx, String id, int limit) {
        String from = EventStream.resumeFrom(ctx);
        long after = from == null ? 0 : LogRoutes.after(from);
        Job now = engine.get(id).filter(j -> Auth.maySee(ctx, j)).orElseThrow(() -> new JobException.NotFound(id));
        String owner = Auth.owner(ctx);
        if (now.isTerminal() && watch.logs().await(id, after, 1, Duration.ZERO, owner).join().lines().isEmpty()) {
            ctx.status(204);
            return;
        }
        EventStream.start(ctx, new LogSource(id, after, limit, owner), watch.openStream(owner), options, watch.timers(), stalls);
    }

    /** {@code raw} mapped by {@code f}; cancelling the result cancels {@code raw} (and so releases its waiter). */
    private static <A, B> CompletableFuture<B> map(CompletableFuture<A> raw, Function<A, B> f) {
        CompletableFuture<B> out = raw.thenApply(f);
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) raw.cancel(false);
        });
        return out;
    }

    static void event(ByteArrayOutputStream out, String name, String id, byte[] data) {
        out.writeBytes(("event: " + name + "\n").getBytes(StandardCharsets.US_ASCII));
        if (id != null) out.writeBytes(("id: " + id + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data); // why: the JSON writer escapes line breaks, so the data is one line
        out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
    }

    private final class JobSource implements EventStream.Source {
        private final String id;
        private final String owner;
        private volatile long after;

        JobSource(String id, long after, String owner) {
            this.id = id;
            this.after = after;
            this.owner = owner;
        }

        @Override
        public CompletableFuture<EventStream.Events> next(Duration wait, StreamSlot slot) {
            return map(watch.awaitJob(id, after, wait, owner, slot), s -> {
                Job j = s.job();
                if (j.version() <= after) return j.isTerminal() ? EventStream.Events.END : EventStream.Events.NONE;
                after = j.version();
                ByteArrayOutputStream out = new ByteArrayOutputStream(s.json().length + 64);
                event(out, "job", Long.toString(j.version()), s.json());
                return new EventStream.Events(out.toByteArray(), j.isTerminal());
            });
        }
    }

    private final class ChangeSource implements EventStream.Source {
        private final JobFilter filter;
        private final int limit;
        private final String owner;
        private volatile Cursor cursor;

        ChangeSource(JobFilter filter, int limit, Cursor cursor, String owner) {
            this.filter = filter;
            this.limit = limit;
            this.cursor = cursor;
            this.owner = owner;
        }

        @Override
        public CompletableFuture<EventStream.Events> next(Duration wait, StreamSlot slot) {
            if (cursor == null) {
                Listing first = watch.list(filter, limit);
                return CompletableFuture.completedFuture(events(new Listing(first.jobs(), first.cursor(), List.of(), true)));
            }
            return map(watch.awaitChanges(cursor, filter, limit, wait, owner, slot), this::events);
        }

        /**
         * A reset as one event; otherwise the deletions, then the jobs in feed order, each job with
         * the cursor of its own position, so that a client resuming from any event's id is sent
         * every change it has not seen (a deletion it has seen may come again; nothing is lost).
         */
        private EventStream.Events events(Listing l) {
            Cursor next = Cursor.parse(l.cursor());
            cursor = next;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (l.reset()) {
                event(out, "reset", l.cursor(), Json.bytes(l));
                return new EventStream.Events(out.toByteArray(), false);
            }
            int left = l.deleted().size() + l.jobs().size();
            for (String gone : l.deleted()) {
                event(out, "deleted", --left == 0 ? l.cursor() : null, Json.bytes(Map.of("id", gone)));
            }
            List<Job> jobs = new ArrayList<>(l.jobs());
            jobs.sort(Comparator.comparingLong(Job::seq));
            for (Job j : jobs) {
                String id = --left == 0 ? l.cursor() : new Cursor(next.feedId(), j.seq()).toString();
                event(out, "job", id, Json.job(j));
            }
            return out.size() == 0 ? EventStream.Events.NONE : new EventStream.Events(out.toByteArray(), false);
        }
    }

    private final class LogSource implements EventStream.Source {
        private final String id;
        private final int limit;
        private final String owner;
        private volatile long after;

        LogSource(String id, long after, int limit, String owner) {
            this.id = id;
            this.after = after;
            this.limit = limit;
            this.owner = owner;
        }

        @Override
        public CompletableFuture<EventStream.Events> next(Duration wait, StreamSlot slot) {
            return map(watch.logs().await(id, after, limit, wait, owner, slot), page -> {
                if (!page.lines().isEmpty()) return lines(page);
                Job j = engine.get(id).orElse(null);
                if (j != null && !j.isTerminal()) return EventStream.Events.NONE;
                if (j == null) return EventStream.Events.END;
                LogPage rest = watch.logs().await(id, after, limit, Duration.ZERO, owner).join(); // why: lines stored just before the end
                return rest.lines().isEmpty() ? EventStream.Events.END : lines(rest);
            });
        }

        private EventStream.Events lines(LogPage page) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (LogLine line : page.lines()) {
                event(out, "line", Long.toString(line.n()), Json.bytes(line));
                after = line.n();
            }
            return new EventStream.Events(out.toByteArray(), false);
        }
    }
}
