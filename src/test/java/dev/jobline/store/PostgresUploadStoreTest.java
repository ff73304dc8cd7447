package dev.jobline.store;

import dev.jobline.pg.PostgresServer;

class PostgresUploadStoreTest extends UploadStoreContract {
    @Override
    protected JobStore open() {
        return PostgresJobStore.open(PostgresServer.shared().newDatabase());
    }
}
