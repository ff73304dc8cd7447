package dev.jobline.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobline.job.JobContext;
import dev.jobline.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DigestJobTest {
    @TempDir
    Path dir;

    /** A job's view of itself for the handler alone: one upload, progress recorded, cancelled after {@code checksBeforeCancel} checks. */
    private static final class Fake implements JobContext {
        final Path file;
        final int checksBeforeCancel;
        final List<long[]> progress = new ArrayList<>();
        int checks;

        Fake(Path file, int checksBeforeCancel) {
            this.file = file;
            this.checksBeforeCancel = checksBeforeCancel;
        }

        @Override public String jobId() { return "j"; }
        @Override public int attempt() { return 1; }
        @Override public void progress(double percent, String message) { }
        @Override public void progress(long done, long total, String message) { progress.add(new long[] {done, total}); }
        @Override public void log(String stream, String text) { }
        @Override public boolean isCancelled() { return checks >= checksBeforeCancel; }
        @Override public void throwIfCancelled() {
            if (++checks > checksBeforeCancel) throw new CancellationException("the job was cancelled");
        }
        @Override public Path upload(String id) { return file; }
        @Override public String uploadName(String id) { return "data.txt"; }
    }

    @Test
    void aCancelStopsTheLoopBetweenTwoReads() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[4 << 20]);
        Fake ctx = new Fake(file, 3);
        assertThatThrownBy(() -> DigestJob.run(ctx, Json.MAPPER.readTree("{\"upload\":\"u\",\"algorithms\":[\"sha256\"]}")))
                .isInstanceOf(CancellationException.class);
        assertThat(ctx.checks).isEqualTo(4);
    }

    @Test
    void progressCountsBytesOfTheTotalAndEndsAtTheSize() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "a\nb\nc");
        Fake ctx = new Fake(file, Integer.MAX_VALUE);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) DigestJob.run(ctx, Json.MAPPER.readTree("{\"upload\":\"u\",\"algorithms\":[\"sha1\",\"md5\"]}"));
        assertThat(result).containsEntry("size", 5L).containsEntry("lines", 3L).containsEntry("contentType", "text/plain; charset=utf-8");
        assertThat(result.keySet()).containsExactly("size", "sha1", "md5", "contentType", "lines");
        assertThat(ctx.progress.getFirst()).containsExactly(0, 5);
        assertThat(ctx.progress.getLast()).containsExactly(5, 5);
    }
}
