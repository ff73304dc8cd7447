package dev.jobline.store;

class MemoryJobStoreTest extends JobStoreLogContract {
    @Override
    protected JobStore open() {
        return new MemoryJobStore();
    }
}
