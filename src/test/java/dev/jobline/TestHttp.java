package dev.jobline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for tests: real requests over loopback, JSON answers. */
public final class TestHttp {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public TestHttp(String base) {
        this.base = base;
    }

    public record Answer(int status, JsonNode json, String body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public CompletableFuture<Answer> getAsync(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(TestHttp::answer);
    }

    public Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    public Answer send(HttpRequest.Builder request) {
        try {
            return answer(client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a request and keeps the answer's bytes as they are. */
    public HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String uri(String path) {
        return base + path;
    }

    /** Submits a sleep job and returns its id. */
    public String submitSleep(String params) {
        Answer a = post("/api/jobs", "{\"type\":\"sleep\",\"params\":" + params + "}");
        if (a.status() != 202) throw new AssertionError("submit answered " + a.status() + ": " + a.body());
        return a.json().get("id").asText();
    }

    private static Answer answer(HttpResponse<String> r) {
        JsonNode json = null;
        try {
            if (!r.body().isEmpty()) json = Json.MAPPER.readTree(r.body());
        } catch (IOException ignored) {
            // not JSON: tests look at body()
        }
        return new Answer(r.statusCode(), json, r.body(), r);
    }
}
