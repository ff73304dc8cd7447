package dev.jobline.job;

import dev.jobline.store.ChangeSet;
import dev.jobline.store.IdempotencyKey;
import dev.jobline.store.JobFilter;
import dev.jobline.store.JobStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A store whose keyed inserts wait for a test to open a gate: holds a request "in flight". */
final class GatedStore implements JobStore {
    private final JobStore d;
    private final CountDownLatch entered;
    private final CountDownLatch gate;

    GatedStore(JobStore delegate, CountDownLatch entered, CountDownLatch gate) {
        this.d = delegate;
        this.entered = entered;
        this.gate = gate;
    }

    @Override
    public IdempotencyKey insert(Job job, IdempotencyKey key) {
        entered.countDown();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return d.insert(job, key);
    }

    @Override public Job insert(Job job) { return d.insert(job); }
    @Override public Optional<IdempotencyKey> findKey(String scope, String key) { return d.findKey(scope, key); }
    @Override public Optional<Job> update(Job job) { return d.update(job); }
    @Override public Optional<Job> get(String id) { return d.get(id); }
    @Override public List<Job> list(JobFilter filter, int limit) { return d.list(filter, limit); }
    @Override public boolean delete(String id, Instant now) { return d.delete(id, now); }
    @Override public List<String> deleteFinishedBefore(Instant cutoff, Instant now, int limit) { return d.deleteFinishedBefore(cutoff, now, limit); }
    @Override public void forgetBefore(Instant cutoff) { d.forgetBefore(cutoff); }
    @Override public ChangeSet changesSince(long seq, int limit) { return d.changesSince(seq, limit); }
    @Override public long lastSeq() { return d.lastSeq(); }
    @Override public String feedId() { return d.feedId(); }
    @Override public List<Job> unfinished() { return d.unfinished(); }
    @Override public void close() { d.close(); }
}
