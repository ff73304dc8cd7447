package dev.jobline.job;

import dev.jobline.watch.Snapshot;
import dev.jobline.watch.WaiterSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/** A queued or running job in this process: its latest snapshot, its waiters and its thread. */
final class LiveJob {
    final JobType type;
    /** Held for every state change, so that start, cancel and finish never interleave. */
    final ReentrantLock lock = new ReentrantLock();
    final WaiterSet<Snapshot> waiters = new WaiterSet<>();
    final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile Snapshot snapshot;
    Thread thread; // guarded by lock
    volatile boolean cancelRequested;
    volatile boolean abandoned; // why: set at shutdown, so the job stays "running" in the store and is re-queued on start
    volatile long persistedVersion;

    LiveJob(JobType type, Snapshot snapshot) {
        this.type = type;
        this.snapshot = snapshot;
        this.persistedVersion = snapshot.job().version();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    Job job() {
        return snapshot.job();
    }

    void set(Snapshot s) {
        snapshot = s;
    }
}
