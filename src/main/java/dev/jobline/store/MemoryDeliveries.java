package dev.jobline.store;

import dev.jobline.job.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The callback deliveries of a {@link MemoryJobStore}; every method runs under that store's write lock. */
final class MemoryDeliveries {
    /** A delivery and what happened to it. */
    private static final class Entry {
        Delivery delivery;
        Delivery.State state = Delivery.State.PENDING;
        String leaseNode;
        Instant leaseUntil = Instant.EPOCH;
        final List<DeliveryAttempt> attempts = new ArrayList<>();

        Entry(Delivery d) {
            delivery = d;
        }

        Instant nextTime() {
            return leaseUntil.isAfter(delivery.dueAt()) ? leaseUntil : delivery.dueAt();
        }
    }

    private final Map<String, Entry> byJob = new HashMap<>();

    void createIfDue(Job j) {
        if (Delivery.due(j)) byJob.computeIfAbsent(j.id(), id -> new Entry(Delivery.of(j)));
    }

    void delete(String jobId) {
        byJob.remove(jobId);
    }

    DeliveryClaim claim(String node, Instant now, Instant leaseUntil, int max) {
        List<Entry> ready = byJob.values().stream()
                .filter(e -> e.state == Delivery.State.PENDING && !e.delivery.dueAt().isAfter(now)
                        && (!e.leaseUntil.isAfter(now) || !node.equals(e.leaseNode)))
                .sorted(java.util.Comparator.comparing(e -> e.delivery.dueAt())).limit(max).toList();
        List<Delivery> out = new ArrayList<>();
        for (Entry e : ready) {
            e.leaseNode = node;
            e.leaseUntil = leaseUntil;
            out.add(e.delivery);
        }
        Instant next = byJob.values().stream().filter(e -> e.state == Delivery.State.PENDING).map(Entry::nextTime)
                .min(Instant::compareTo).orElse(null);
        return new DeliveryClaim(out, next);
    }

    boolean record(Delivery d, String node, DeliveryAttempt a, Instant nextDue) {
        Entry e = byJob.get(d.jobId());
        if (e == null || !e.delivery.id().equals(d.id()) || e.state != Delivery.State.PENDING
                || e.delivery.attempts() != a.attempt() - 1 || !node.equals(e.leaseNode)) {
            return false;
        }
        Delivery old = e.delivery;
        e.delivery = new Delivery(old.id(), old.jobId(), old.url(), old.event(), a.attempt(), old.createdAt(),
                nextDue != null ? nextDue : a.at());
        e.state = a.state();
        e.leaseNode = null;
        e.leaseUntil = Instant.EPOCH;
        e.attempts.add(a);
        return true;
    }

    List<DeliveryAttempt> list(String jobId) {
        Entry e = byJob.get(jobId);
        if (e == null) return List.of();
        if (e.attempts.isEmpty()) {
            return List.of(new DeliveryAttempt(e.delivery.id(), 0, e.delivery.createdAt(), null, null, Delivery.State.PENDING));
        }
        return List.copyOf(e.attempts);
    }
}
