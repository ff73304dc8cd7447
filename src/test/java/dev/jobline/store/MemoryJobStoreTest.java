package dev.jobline.store;

class MemoryJobStoreTest extends JobStoreRaceContract {
    @Override
    protected JobStore open() {
        return new MemoryJobStore();
    }

    @Override
    protected boolean commits() {
        return false;
    }
}
