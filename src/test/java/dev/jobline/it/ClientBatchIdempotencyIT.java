package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jobline.TestHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobline batch} sends an Idempotency-Key, one per command and the same on its retries: a
 * retry whose first answer was lost (the batch was stored) gets the same parent, and no second batch.
 */
@Timeout(120)
class ClientBatchIdempotencyIT {
    @TempDir
    Path dir;

    @Test
    void aBatchWhoseAnswerWasLostIsRetriedWithItsKeyAndAnswersTheSameParent() throws Exception {
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory");
             HttpClient client = HttpClient.newHttpClient()) {
            List<String> keys = new CopyOnWriteArrayList<>();
            List<String> answers = new CopyOnWriteArrayList<>();
            HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            proxy.createContext("/api/batches", exchange -> {
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                keys.add(String.valueOf(key));
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(server.url() + "/api/batches"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
                if (key != null) forward.header("Idempotency-Key", key);
                HttpResponse<String> real;
                try {
                    real = client.send(forward.build(), HttpResponse.BodyHandlers.ofString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.close();
                    return;
                }
                answers.add(real.body());
                if (keys.size() == 1) {
                    exchange.close(); // the server stored the batch, but its answer is lost on the way back
                    return;
                }
                answer(exchange, real.statusCode(), real.body());
            });
            proxy.start();
            try {
                Path file = dir.resolve("batch.json");
                Files.writeString(file, "[{\"type\":\"sleep\",\"params\":{\"seconds\":0}},{\"type\":\"sleep\",\"params\":{\"seconds\":0}}]");
                Map<String, String> env = Map.of("JOBLINE_URL", "http://127.0.0.1:" + proxy.getAddress().getPort());
                ClientRun run = ClientRun.run(dir, env, "batch", file.toString(), "--no-wait");
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertThat(run.err()).contains("lost");

                assertThat(keys).hasSize(2);
                assertThat(keys.get(1)).isEqualTo(keys.getFirst()).hasSizeBetween(1, 255).isNotEqualTo("null");
                TestHttp http = new TestHttp(server.url());
                String first = dev.jobline.json.Json.MAPPER.readTree(answers.getFirst()).get("id").asText();
                assertThat(run.out()).isEqualTo(first);
                JsonNode batches = http.get("/api/jobs?type=batch").json().get("jobs");
                assertThat(batches).hasSize(1);
                assertThat(batches.get(0).get("id").asText()).isEqualTo(first);
                assertThat(http.get("/api/jobs?parent=" + first).json().get("jobs")).hasSize(2);

                ClientRun again = ClientRun.run(dir, env, "batch", file.toString(), "--no-wait");
                assertThat(again.exitCode()).as(again.err()).isZero();
                assertThat(keys.get(2)).as("a new command sends a new key").isNotEqualTo(keys.getFirst());
                assertThat(again.out()).isNotEqualTo(first);
                assertThat(http.get("/api/jobs?type=batch").json().get("jobs")).hasSize(2);
            } finally {
                proxy.stop(0);
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status == 202 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
