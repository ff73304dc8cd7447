package dev.jobline.engine;

import dev.jobline.job.Job;
import dev.jobline.job.LogLine;
import dev.jobline.store.Admission;
import dev.jobline.store.ChangeSet;
import dev.jobline.store.Delivery;
import dev.jobline.store.DeliveryAttempt;
import dev.jobline.store.DeliveryClaim;
import dev.jobline.store.FeedListener;
import dev.jobline.store.IdempotencyKey;
import dev.jobline.store.Insert;
import dev.jobline.store.JobFilter;
import dev.jobline.store.JobStore;
import dev.jobline.store.LogPage;
import dev.jobline.store.NodeInfo;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A store that hands every call to another; a test overrides the calls it wants to watch or break. */
class ForwardingStore implements JobStore {
    private final JobStore d;

    ForwardingStore(JobStore delegate) {
        this.d = delegate;
    }

    @Override public Insert insert(Job job, Admission admission) { return d.insert(job, admission); }
    @Override public Insert insertBatch(Job parent, List<Job> children, Admission admission) { return d.insertBatch(parent, children, admission); }
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
    @Override public ChangeSet changesSince(long seq, int limit) { return d.changesSince(seq, limit); }
    @Override public long lastPosition() { return d.lastPosition(); }
    @Override public String feedId() { return d.feedId(); }
    @Override public void subscribe(FeedListener l) { d.subscribe(l); }
    @Override public void heartbeat(NodeInfo n) { d.heartbeat(n); }
    @Override public List<NodeInfo> nodes() { return d.nodes(); }
    @Override public long appendLog(String jobId, List<LogLine> lines, long skipped, int keep) { return d.appendLog(jobId, lines, skipped, keep); }
    @Override public LogPage readLog(String jobId, long after, int limit) { return d.readLog(jobId, after, limit); }
    @Override public DeliveryClaim claimDeliveries(String node, Instant now, Instant leaseUntil, int max) { return d.claimDeliveries(node, now, leaseUntil, max); }
    @Override public boolean recordAttempt(Delivery delivery, String node, DeliveryAttempt attempt, Instant nextDue) { return d.recordAttempt(delivery, node, attempt, nextDue); }
    @Override public List<DeliveryAttempt> deliveries(String jobId) { return d.deliveries(jobId); }
    @Override public void removeNode(String id) { d.removeNode(id); }
    @Override public boolean exclusive() { return d.exclusive(); }
    @Override public dev.jobline.store.ScheduleState registerSchedule(String name, Instant tick) { return d.registerSchedule(name, tick); }
    @Override public dev.jobline.store.ScheduleRun startScheduled(String name, Instant tick, Job job, boolean skip) { return d.startScheduled(name, tick, job, skip); }
    @Override public List<dev.jobline.store.ScheduleState> schedules() { return d.schedules(); }
    @Override public dev.jobline.store.UploadStore uploads() { return d.uploads(); }
    @Override public void close() { d.close(); }
}
