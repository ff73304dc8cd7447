package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client's submit options of when and how a job runs, against the real jar. */
@Timeout(120)
class ClientFlowIT {
    @TempDir
    static Path dir;

    static JoblineProcess server;
    static Map<String, String> env;
    static TestHttp http;

    @BeforeAll
    static void startServer() throws Exception {
        server = JoblineProcess.start(dir, "--port", "0", "--store", "memory", "--queues", "reports=1");
        env = Map.of("JOBLINE_URL", server.url());
        http = new TestHttp(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void submitSendsEachOptionAndTheServerShowsIt() throws Exception {
        Instant before = Instant.now();
        ClientRun submit = ClientRun.run(dir, env, "submit", "sleep", "-p", "seconds=0", "--delay", "1s", "--priority", "5",
                "--queue", "reports", "--timeout", "1m", "--retries", "2");
        assertThat(submit.exitCode()).as(submit.err()).isZero();
        JsonNode job = http.get("/api/jobs/" + submit.out().strip()).json();
        assertThat(Instant.parse(job.get("runAt").asText())).isAfter(before.plusMillis(900));
        assertThat(job.get("priority").asInt()).isEqualTo(5);
        assertThat(job.get("queue").asText()).isEqualTo("reports");
        assertThat(job.get("timeout").asText()).isEqualTo("1m");
        assertThat(job.get("retry").get("maxAttempts").asInt()).as("two retries: three attempts").isEqualTo(3);

        ClientRun at = ClientRun.run(dir, env, "submit", "sleep", "-p", "seconds=0", "--at", "2030-01-01T00:00:00Z", "--json");
        assertThat(at.exitCode()).isZero();
        assertThat(at.out()).contains("runAt").contains("2030-01-01T00:00:00.000Z");

        ClientRun waited = ClientRun.run(dir, env, "submit", "sleep", "-p", "seconds=0", "--delay", "500ms", "--wait");
        assertThat(waited.exitCode()).isZero();
    }

    @Test
    void aBadValueIsRefusedNamingTheField() throws Exception {
        ClientRun bad = ClientRun.run(dir, env, "submit", "sleep", "--delay", "soon");
        assertThat(bad.exitCode()).isEqualTo(3);
        assertThat(bad.err()).contains("delay");
        ClientRun undeclared = ClientRun.run(dir, env, "submit", "sleep", "--queue", "emails");
        assertThat(undeclared.exitCode()).isEqualTo(3);
        assertThat(undeclared.err()).contains("queue").contains("reports");
        assertThat(ClientRun.run(dir, env, "submit", "sleep", "--retries", "-1").exitCode()).isEqualTo(3);
    }
}
