package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The HTTP API as the commands use it. No connection to a server never reached ends the command at
 * once (exit 4, {@code cannot reach URL: connection refused}): a wrong address or a server not
 * started is not worth a minute of silent retries. Once a connection was made, losing it is retried with
 * {@link Backoff} for {@code retryFor}, saying so on standard error, so that following survives a
 * restart; so are 503 (draining), 429 (full) and, for a submit, the 409 of its own key still in
 * flight. Then the command ends: exit 4 when the server could not be reached, 5 for a 404, 3 for a
 * request the server calls malformed or not runnable, 1 for any other refusal.
 */
final class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final String token;
    private final Duration retryFor;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    private Consumer<String> notices = ApiClient::toStandardError;
    private boolean reached; // a connection to the server was made once: losing it now is worth retrying
    private boolean lost; // the last try failed without an answer
    private boolean busy; // the last try was answered 503 or 429

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

    /** Where the client says that it is retrying a lost or busy server, and that it is back (standard error by default). */
    void noticesTo(Consumer<String> sink) {
        this.notices = sink;
    }

    private static void toStandardError(String notice) {
        System.err.println("jobline: " + notice);
        System.err.flush();
    }

    /** POST /api/jobs with an Idempotency-Key, so that a retry of a lost answer never starts a second job. */
    JsonNode submit(JsonNode body, String idempotencyKey) {
        return send(request("/api/jobs").header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))), Duration.ofSeconds(30), true);
    }

    /** POST /api/batches with an Idempotency-Key; the parent job. Retried as a submit is, so a lost answer never stores a second batch. */
    JsonNode submitBatch(JsonNode body, String idempotencyKey) {
        return send(request("/api/batches").header("Idempotency-Key", idempotencyKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))), Duration.ofSeconds(60), true);
    }

    /**
     * POST /api/uploads with the file as the body, streamed from disk; the upload's metadata. A
     * retry after a lost answer uploads it again (the unused copy expires after the server's retention).
     */
    JsonNode upload(java.nio.file.Path file) {
        HttpRequest.BodyPublisher body;
        long size;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
            size = java.nio.file.Files.size(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        Duration timeout = Duration.ofMinutes(5).plusSeconds(size / 1_000_000); // why: at least a megabyte a second
        String name = file.getFileName() == null ? "upload" : file.getFileName().toString();
        return send(request("/api/uploads?name=" + encode(name)).header("Content-Type", "application/octet-stream").POST(body),
                timeout, false);
    }

    JsonNode job(String id) {
        return send(request("/api/jobs/" + encode(id)).GET(), Duration.ofSeconds(30), false);
    }

    /** One long-poll: answers when the job's version passes {@code after}, or after {@code wait}. */
    JsonNode poll(String id, long after, Duration wait, Backoff backoff) throws InterruptedException {
        HttpRequest.Builder r = request("/api/jobs/" + encode(id) + "?after=" + after + "&wait=" + wait.toMillis() + "ms").GET();
        return sendWith(r, wait.plusSeconds(30), false, backoff);
    }

    /** The job's log lines after line {@code after}: a long-poll held up to {@code wait} while the job runs and has none. */
    JsonNode log(String id, long after, Duration wait, Backoff backoff) throws InterruptedException {
        HttpRequest.Builder r = request("/api/jobs/" + encode(id) + "/log?after=" + after + "&limit=10000&wait=" + wait.toMillis() + "ms").GET();
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

    /** GET /api/nodes: the nodes sharing the store; 403 for a user's token. */
    JsonNode nodes() {
        return send(request("/api/nodes").GET(), Duration.ofSeconds(30), false);
    }

    /** GET /api/schedules: the server's recurring jobs. */
    JsonNode schedules() {
        return send(request("/api/schedules").GET(), Duration.ofSeconds(30), false);
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
                waitForLostServer(TransportError.of(e, CONNECT_TIMEOUT, timeout), backoff);
                continue;
            }
            reached = true;
            if (lost) notices.accept("reconnected to " + base);
            lost = false;
            int s = answer.statusCode();
            boolean retry = s == 503 || s == 429 || (submit && s == 409);
            Duration delay = retry ? backoff.next(retryAfter(answer)) : null;
            if (delay != null) {
                // why: a 409 here is this command's own earlier try, still being handled: not worth a word
                if (!busy && s != 409) notices.accept(base + (s == 503 ? " is draining (503)" : " is full (429)") + "; retrying (up to " + span(retryFor) + ")");
                busy = s != 409;
                Thread.sleep(delay);
                continue;
            }
            busy = false;
            if (s >= 200 && s < 300) {
                backoff.reset();
                return answer.body().isEmpty() ? null : ServerAnswers.parse(answer.body(), base);
            }
            throw ServerAnswers.refusal(s, answer.body());
        }
    }

    /** Waits before trying again a server that did not answer, or ends the command: at once when no connection was ever made. */
    private void waitForLostServer(TransportError error, Backoff backoff) throws InterruptedException {
        // why: no connection to a server never reached is a wrong address or a server not started; retrying would hide that
        if (error.unconnected() && !reached) throw new CliException(ExitCodes.TRANSPORT, "cannot reach " + base + ": " + error.words());
        reached = true;
        Duration delay = backoff.next(null);
        if (delay == null) throw new CliException(ExitCodes.TRANSPORT, "lost " + base + ": " + error.words() + "; gave up after " + span(retryFor));
        if (!lost) notices.accept("lost " + base + ": " + error.words() + "; reconnecting (up to " + span(retryFor) + ")");
        lost = true;
        Thread.sleep(delay);
    }

    private static String span(Duration d) {
        return TransportError.span(d);
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

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
