package dev.jobline.store;

import dev.jobline.pg.PostgresServer;

class PostgresJobStoreTest extends JobStoreLogContract {
    @Override
    protected JobStore open() {
        return PostgresJobStore.open(PostgresServer.shared().newDatabase());
    }
}
