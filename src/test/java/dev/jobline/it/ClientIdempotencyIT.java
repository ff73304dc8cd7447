package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jobline.TestHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** submit sends an Idempotency-Key: one per command, the same on each of its retries, so a retry never starts work twice. */
@Timeout(120)
class ClientIdempotencyIT {
    private static final String JOB = "{\"id\":\"job-1\",\"type\":\"sleep\",\"state\":\"queued\",\"version\":1}";

    @TempDir
    Path dir;

    @Test
    void eachSubmitSendsOneKeyAndRetriesALostOrRefusedAnswerWithTheSameKey() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/api/jobs", exchange -> {
            keys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
            switch (keys.size() % 3) {
                case 1 -> exchange.close(); // the answer is lost: the connection drops without one
                case 2 -> answer(exchange, 503, "{\"type\":\"/problems/draining\",\"title\":\"t\",\"status\":503,\"detail\":\"d\"}");
                default -> answer(exchange, 202, JOB);
            }
        });
        fake.start();
        try {
            Map<String, String> env = Map.of("JOBLINE_URL", "http://127.0.0.1:" + fake.getAddress().getPort());
            for (int run = 0; run < 2; run++) {
                ClientRun submit = ClientRun.run(dir, env, "submit", "sleep");
                assertThat(submit.exitCode()).as(submit.err()).isZero();
                assertThat(submit.out()).isEqualTo("job-1");
            }
        } finally {
            fake.stop(0);
        }
        assertThat(keys).hasSize(6);
        assertThat(keys.subList(0, 3)).containsOnly(keys.getFirst());
        assertThat(keys.subList(3, 6)).containsOnly(keys.get(3));
        assertThat(keys.getFirst()).isNotEqualTo(keys.get(3)).hasSizeBetween(1, 255).doesNotContain("null");
    }

    @Test
    void theSameKeyTwiceAgainstTheRealServerGivesTheSameJob() throws Exception {
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            Map<String, String> env = Map.of("JOBLINE_URL", server.url());
            String[] args = {"submit", "sleep", "-p", "seconds=0", "--idempotency-key", "nightly-2026-11-22"};
            String first = ClientRun.run(dir, env, args).out();
            String second = ClientRun.run(dir, env, args).out();
            assertThat(second).isEqualTo(first);
            assertThat(new TestHttp(server.url()).get("/api/jobs").json().get("jobs")).hasSize(1);
            ClientRun otherBody = ClientRun.run(dir, env, "submit", "sleep", "-p", "seconds=1", "--idempotency-key", "nightly-2026-11-22");
            assertThat(otherBody.exitCode()).as("the same key with another body is a 422").isEqualTo(3);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (status == 503) exchange.getResponseHeaders().add("Retry-After", "0");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
