package dev.jobline.store;

import dev.jobline.pg.PostgresServer;

class PostgresJobStoreTest extends JobStoreRaceContract {
    private String url;

    @Override
    protected JobStore open() {
        url = PostgresServer.shared().newDatabase();
        return PostgresJobStore.open(url);
    }

    @Override
    protected JobStore openOtherNode() {
        return PostgresJobStore.open(url);
    }
}
