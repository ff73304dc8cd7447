package dev.jobline.store;

import dev.jobline.pg.PostgresServer;

class PostgresJobStoreTest extends JobStoreRaceContract {
    @Override
    protected JobStore open() {
        return PostgresJobStore.open(PostgresServer.shared().newDatabase());
    }
}
