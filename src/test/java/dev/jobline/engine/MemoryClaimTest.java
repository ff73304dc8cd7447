package dev.jobline.engine;

import dev.jobline.store.JobStore;
import dev.jobline.store.MemoryJobStore;

class MemoryClaimTest extends ClaimContract {
    @Override
    protected JobStore first() {
        return new MemoryJobStore();
    }

    @Override
    protected JobStore another(JobStore first) {
        return first;
    }
}
