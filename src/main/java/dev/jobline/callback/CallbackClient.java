package dev.jobline.callback;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one callback request: {@code POST url} with the job's JSON and the Jobline headers, never
 * following a redirect, and waits at most {@link #TIMEOUT} for the answer. Tells what came back.
 */
final class CallbackClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What one attempt got: the receiver's status (null without an answer) and what went wrong (null when delivered). */
    record Outcome(Integer status, String error) {
        boolean delivered() {
            return error == null;
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .proxy(HttpClient.Builder.NO_PROXY) // why: a callback goes to the allowed URL itself, never through another host
            .build();

    Outcome post(String url, byte[] body, String event, String deliveryId, String signature) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Jobline-Callbacks")
                .header("Jobline-Event", event)
                .header("Jobline-Delivery", deliveryId)
                .header("Jobline-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            int status = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            if (status >= 200 && status < 300) return new Outcome(status, null);
            if (status >= 300 && status < 400) return new Outcome(status, "the receiver answered " + status + " (redirects are not followed)");
            return new Outcome(status, "the receiver answered " + status);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new Outcome(null, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            return new Outcome(null, describe(e.getCause()));
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted: the server is stopping");
        }
    }

    private static String describe(Throwable t) {
        if (t instanceof HttpTimeoutException) return "no answer within " + TIMEOUT.toSeconds() + " s";
        if (t instanceof ConnectException) return "could not connect" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (t instanceof IOException) return "the request failed: " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        return "the request failed: " + t;
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
