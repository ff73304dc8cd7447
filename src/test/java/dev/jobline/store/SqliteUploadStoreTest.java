package dev.jobline.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteUploadStoreTest extends UploadStoreContract {
    @TempDir
    Path dir;

    @Override
    protected JobStore open() {
        return SqliteJobStore.open(dir);
    }
}
