package dev.jobline.store;

class MemoryJobStoreTest extends JobStoreRaceContract {
    @Override
    protected JobStore open() {
        return new MemoryJobStore();
    }
}
