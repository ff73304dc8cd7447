package dev.jobline.store;

class MemoryUploadStoreTest extends UploadStoreContract {
    @Override
    protected JobStore open() {
        return new MemoryJobStore();
    }
}
