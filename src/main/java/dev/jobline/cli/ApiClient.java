package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.web.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The HTTP API as the commands use it. Every call retries what is worth retrying (no connection,
 * 503 draining, 429 full, and for a submit the 409 of its own key still in flight) with
 * {@link Backoff} until {@code retryFor} passes, then ends the command: exit 4 when the server
 * could not be reached, 5 for a 404, 3 for a request the server calls malformed or not runnable,
 * 1 for any other refusal.
 */
final class ApiClient {
    private final String base;
    private final String token;
    private final Duration retryFor;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    ApiClient(String base, String token, Duration retryFor) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.retryFor = retryFor;
    }

    String base() {
        return base;
    }

    Duration retryFor() {
        return retryFor;
    }

    String token() {
        return token;
    }

    /** POST /api/jobs with an Idempotency-Key, so that a retry of a lost answer never starts a second job. */
    JsonNode submit(JsonNode body, String idempotencyKey) {
        return send(request("/api/jobs").header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))), Duration.ofSeconds(30), true);
    }

    JsonNode job(String id) {
        return send(request("/api/jobs/" + encode(id)).GET(), Duration.ofSeconds(30), false);
    }

    /** One long-poll: answers when the job's version passes {@code after}, or after {@code wait}. */
    JsonNode poll(String id, long after, Duration wait, Backoff backoff) throws InterruptedException {
        HttpRequest.Builder r = request("/api/jobs/" + encode(id) + "?after=" + after + "&wait=" + wait.toMillis() + "ms").GET();
        return sendWith(r, wait.plusSeconds(30), false, backoff);
    }

    JsonNode list(String states, int limit) {
        String q = "?limit=" + limit + (states == null ? "" : "&state=" + encode(states));
        return send(request("/api/jobs" + q).GET(), Duration.ofSeconds(30), false);
    }

    JsonNode cancel(String id) {
        return send(request("/api/jobs/" + encode(id) + "/cancel").POST(HttpRequest.BodyPublishers.noBody()),
                Duration.ofSeconds(30), false);
    }

    void delete(String id) {
        send(request("/api/jobs/" + encode(id)).DELETE(), Duration.ofSeconds(30), false);
    }

    JsonNode types() {
        return send(request("/api/types").GET(), Duration.ofSeconds(30), false);
    }

    private HttpRequest.Builder request(String path) {
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--url is not a usable address: " + base);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new CliException(ExitCodes.USAGE, "--url must be like http://127.0.0.1:7070, not " + base);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout, boolean submit) {
        try {
            return sendWith(request, timeout, submit, new Backoff(retryFor));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    private JsonNode sendWith(HttpRequest.Builder request, Duration timeout, boolean submit, Backoff backoff)
            throws InterruptedException {
        HttpRequest r = request.timeout(timeout).build();
        while (true) {
            HttpResponse<String> answer;
            try {
                answer = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (backoff.pause(null)) continue;
                throw new CliException(ExitCodes.TRANSPORT, "cannot reach " + base + ": " + describe(e));
            }
            int s = answer.statusCode();
            boolean retry = s == 503 || s == 429 || (submit && s == 409);
            if (retry && backoff.pause(retryAfter(answer))) continue;
            if (s >= 200 && s < 300) {
                backoff.reset();
                return answer.body().isEmpty() ? null : ServerAnswers.parse(answer.body(), base);
            }
            throw ServerAnswers.refusal(s, answer.body());
        }
    }

    private static Duration retryAfter(HttpResponse<?> answer) {
        return answer.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m + ")");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
