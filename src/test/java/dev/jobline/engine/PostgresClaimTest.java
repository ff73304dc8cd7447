package dev.jobline.engine;

import dev.jobline.pg.PostgresServer;
import dev.jobline.store.JobStore;
import dev.jobline.store.PostgresJobStore;

/** Separate stores over one database: as separate nodes see it. */
class PostgresClaimTest extends ClaimContract {
    private String url;

    @Override
    protected JobStore first() {
        url = PostgresServer.shared().newDatabase();
        return PostgresJobStore.open(url);
    }

    @Override
    protected JobStore another(JobStore first) {
        return PostgresJobStore.open(url);
    }
}
