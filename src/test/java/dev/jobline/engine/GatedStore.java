package dev.jobline.engine;

import dev.jobline.job.Job;
import dev.jobline.store.Admission;
import dev.jobline.store.ChangeSet;
import dev.jobline.store.FeedListener;
import dev.jobline.store.IdempotencyKey;
import dev.jobline.store.Insert;
import dev.jobline.store.JobFilter;
import dev.jobline.store.JobStore;
import dev.jobline.store.NodeInfo;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A store whose keyed inserts (of jobs and of batches) wait for a test to open a gate: holds a request "in flight". */
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
    public Insert insert(Job job, Admission admission) {
        hold(admission);
        return d.insert(job, admission);
    }

    private void hold(Admission admission) {
        if (admission.key() != null) {
            entered.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override public Insert insertBatch(Job parent, List<Job> children, Admission admission) {
        hold(admission);
        return d.insertBatch(parent, children, admission);
    }
    @Override public Optional<Job> batchPercent(String parentId, double running, Instant now) { return d.batchPercent(parentId, running, now); }
    @Override public Optional<IdempotencyKey> findKey(String scope, String key) { return d.findKey(scope, key); }
    @Override public Optional<Job> update(Job next, long expected) { return d.update(next, expected); }
    @Override public List<Job> claim(String node, Collection<String> types, java.util.Map<String, Integer> queues, int max, Instant now) {
        return d.claim(node, types, queues, max, now);
    }
    @Override public Optional<Instant> nextDue(Instant now) { return d.nextDue(now); }
    @Override public Optional<Job> get(String id) { return d.get(id); }
    @Override public List<Job> list(JobFilter filter, int limit) { return d.list(filter, limit); }
    @Override public List<Job> active() { return d.active(); }
    @Override public Deletion delete(String id, Instant now) { return d.delete(id, now); }
    @Override public List<String> deleteFinishedBefore(Instant cutoff, Instant now, int limit) { return d.deleteFinishedBefore(cutoff, now, limit); }
    @Override public void forgetBefore(Instant cutoff) { d.forgetBefore(cutoff); }
    @Override public long appendLog(String id, List<dev.jobline.job.LogLine> lines, long skipped, int keep) {
        return d.appendLog(id, lines, skipped, keep);
    }
    @Override public dev.jobline.store.LogPage readLog(String id, long after, int limit) { return d.readLog(id, after, limit); }
    @Override public ChangeSet changesSince(long seq, int limit) { return d.changesSince(seq, limit); }
    @Override public long lastPosition() { return d.lastPosition(); }
    @Override public String feedId() { return d.feedId(); }
    @Override public void subscribe(FeedListener l) { d.subscribe(l); }
    @Override public void heartbeat(NodeInfo n) { d.heartbeat(n); }
    @Override public List<NodeInfo> nodes() { return d.nodes(); }
    @Override public void removeNode(String id) { d.removeNode(id); }
    @Override public boolean exclusive() { return d.exclusive(); }
    @Override public dev.jobline.store.ScheduleState registerSchedule(String name, java.time.Instant tick) { return d.registerSchedule(name, tick); }
    @Override public dev.jobline.store.ScheduleRun startScheduled(String name, java.time.Instant tick, Job job, boolean skip) { return d.startScheduled(name, tick, job, skip); }
    @Override public java.util.List<dev.jobline.store.ScheduleState> schedules() { return d.schedules(); }
    @Override public dev.jobline.store.UploadStore uploads() { return d.uploads(); }
    @Override public void close() { d.close(); }
    @Override public dev.jobline.store.DeliveryClaim claimDeliveries(String node, Instant now, Instant leaseUntil, int max) {
        return d.claimDeliveries(node, now, leaseUntil, max);
    }
    @Override public boolean recordAttempt(dev.jobline.store.Delivery delivery, String node, dev.jobline.store.DeliveryAttempt attempt,
                                           Instant nextDue) {
        return d.recordAttempt(delivery, node, attempt, nextDue);
    }
    @Override public List<dev.jobline.store.DeliveryAttempt> deliveries(String jobId) { return d.deliveries(jobId); }
}
