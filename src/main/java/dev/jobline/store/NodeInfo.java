package dev.jobline.store;

import java.time.Instant;
import java.util.Map;

/**
 * A node sharing the store, as its last heartbeat left it: when it started and last beat, how
 * many jobs it runs, whether it is draining, and its long-polls waiting per owner (for quotas
 * that hold across the cluster).
 */
public record NodeInfo(String id, Instant startedAt, Instant heartbeatAt, int running, boolean draining,
                       Map<String, Integer> waiters) {

    public NodeInfo {
        waiters = waiters == null ? Map.of() : Map.copyOf(waiters);
    }
}
