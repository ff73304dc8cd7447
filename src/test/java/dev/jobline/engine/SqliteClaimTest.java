package dev.jobline.engine;

import dev.jobline.store.JobStore;
import dev.jobline.store.SqliteJobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteClaimTest extends ClaimContract {
    @TempDir
    Path dir;

    @Override
    protected JobStore first() {
        return SqliteJobStore.open(dir);
    }

    @Override
    protected JobStore another(JobStore first) {
        return first; // why: one process owns the file; its engines share the one store
    }
}
