package dev.jobline.store;

class MemoryJobStoreTest extends JobStoreContract {
    @Override
    protected JobStore open() {
        return new MemoryJobStore();
    }
}
