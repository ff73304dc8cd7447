package dev.jobline.watch;

import dev.jobline.job.Job;
import java.util.function.Function;

/**
 * One version of a job together with its JSON, written once however many waiters receive it.
 */
public final class Snapshot {
    private final Job job;
    private final Function<Job, byte[]> writer;
    private volatile byte[] json; // why: racy but idempotent; two threads may both write the same bytes

    public Snapshot(Job job, Function<Job, byte[]> writer) {
        this.job = job;
        this.writer = writer;
    }

    public Job job() {
        return job;
    }

    public byte[] json() {
        byte[] b = json;
        if (b == null) {
            b = writer.apply(job);
            json = b;
        }
        return b;
    }
}
