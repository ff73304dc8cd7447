package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code watch --log}: a view that also shows the job's log, read by a {@link LogFollower} of its
 * own on a virtual thread while the job is followed. Both write through one lock, so a log line
 * never lands inside the bar; the job's end is shown only once every line before it is.
 */
final class LoggedView implements FollowView {
    private final FollowView inner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread reader;

    LoggedView(FollowView inner, ApiClient api, String id, PrintStream err) {
        this.inner = inner;
        ApiClient own = new ApiClient(api.base(), api.token(), api.retryFor());
        own.noticesTo(notice -> { }); // why: the job's follower already says when the server is lost and back
        LogFollower logs = new LogFollower(own, err);
        this.reader = Thread.ofVirtual().name("jobline-log").start(() -> {
            try {
                logs.follow(id, this::line);
            } catch (InterruptedException | CliException e) {
                // the job's follower reports what went wrong
            }
        });
    }

    @Override
    public void show(JsonNode job) {
        locked(() -> inner.show(job));
    }

    @Override
    public void line(JsonNode line) {
        locked(() -> inner.line(line));
    }

    @Override
    public void end(JsonNode job) {
        try {
            reader.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        locked(() -> inner.end(job));
    }

    @Override
    public void abandon() {
        locked(inner::abandon);
    }

    private void locked(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }
}
