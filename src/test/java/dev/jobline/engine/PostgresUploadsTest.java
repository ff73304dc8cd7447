package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.job.Job;
import dev.jobline.json.Json;
import dev.jobline.pg.PostgresServer;
import dev.jobline.store.PostgresJobStore;
import dev.jobline.store.Upload;
import dev.jobline.types.DigestJob;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes on one PostgreSQL sharing one data folder: a file uploaded to one node is digested on the other. */
@Timeout(120)
class PostgresUploadsTest {
    @TempDir
    Path shared;

    @Test
    void anUploadReceivedByOneNodeIsReadByAJobRunningOnAnother() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        EngineOptions options = EngineOptions.defaults().withUploads(shared);
        // why: only node b knows digest, so the job can run nowhere else
        try (Node a = TestNode.start(PostgresJobStore.open(url), options.withNode("a", Duration.ofSeconds(30)), Clock.systemUTC());
             Node b = TestNode.start(PostgresJobStore.open(url), options.withNode("b", Duration.ofSeconds(30)), Clock.systemUTC(),
                     DigestJob.type())) {
            byte[] bytes = "shared by both nodes\n".getBytes(StandardCharsets.UTF_8);
            Upload u = a.engine().uploads().receive("alice", "s.txt", null, 1 << 20, new ByteArrayInputStream(bytes));
            assertThat(b.engine().uploads().find(u.id())).contains(u);
            Job job = b.engine().submit("digest", Json.MAPPER.readTree("{\"upload\":\"" + u.id() + "\"}"), "alice");
            await().atMost(Duration.ofSeconds(60)).until(() -> a.engine().get(job.id()).orElseThrow().isTerminal());
            Job done = a.engine().get(job.id()).orElseThrow();
            assertThat(done.state().wireName()).isEqualTo("succeeded");
            assertThat(done.result().get("sha256").asText())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            assertThat(a.engine().uploads().remove(u.id())).isEqualTo(dev.jobline.store.UploadStore.Removal.REMOVED);
            assertThat(b.engine().uploads().find(u.id())).isEmpty();
        }
    }
}
