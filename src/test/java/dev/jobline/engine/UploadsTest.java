package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobline.store.MemoryJobStore;
import dev.jobline.store.Upload;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class UploadsTest {
    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };

    private static long files(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void withoutAFolderTheFilesGoToATemporaryOneRemovedOnClose() throws Exception {
        Path folder;
        try (MemoryJobStore store = new MemoryJobStore()) {
            Uploads uploads = new Uploads(store.uploads(), null, Duration.ofHours(1), clock);
            Upload u = uploads.receive(null, "a.txt", null, 1024, new ByteArrayInputStream("hello\n".getBytes()));
            Path file = uploads.path(u.id());
            folder = file.getParent();
            assertThat(Files.readString(file)).isEqualTo("hello\n");
            assertThat(u.contentType()).isEqualTo("text/plain; charset=utf-8");
            uploads.close();
        }
        assertThat(Files.exists(folder)).isFalse();
    }

    @Test
    void aStreamOverTheLimitLeavesNoFileAndNoRecord() throws Exception {
        MemoryJobStore store = new MemoryJobStore();
        Uploads uploads = new Uploads(store.uploads(), dir, Duration.ofHours(1), clock);
        assertThatThrownBy(() -> uploads.receive(null, "big", null, 1024, new ByteArrayInputStream(new byte[5000])))
                .isInstanceOf(Uploads.TooLarge.class).hasMessageContaining("1024 bytes at most");
        assertThat(files(dir)).isZero();
        assertThat(uploads.list(null, 10)).isEmpty();
        assertThatThrownBy(() -> uploads.path("../../etc/passwd")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void anUnusedUploadGoesAfterTheRetentionTimeAndAPartialFileLeftByACrashAfterADay() throws Exception {
        MemoryJobStore store = new MemoryJobStore();
        Uploads uploads = new Uploads(store.uploads(), dir, Duration.ofHours(1), clock);
        Upload u = uploads.receive("alice", "x.bin", "application/x-thing", 1024, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertThat(u.contentType()).isEqualTo("application/x-thing");
        Path partial = Files.writeString(dir.resolve("0f0e0d0c-0000-0000-0000-000000000000.part"), "cut short");
        Files.setLastModifiedTime(partial, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        now.set(now.get().plus(Duration.ofMinutes(59)));
        assertThat(uploads.sweep()).isZero();
        assertThat(Files.exists(partial)).isFalse();
        assertThat(Files.exists(dir.resolve(u.id()))).isTrue();
        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThat(uploads.sweep()).isOne();
        assertThat(files(dir)).isZero();
        assertThat(uploads.find(u.id())).isEmpty();
    }
}
