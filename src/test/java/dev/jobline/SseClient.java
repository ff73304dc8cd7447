package dev.jobline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for tests, over a real HTTP connection: reads the stream on a
 * virtual thread and hands out its events (and comments, as events named {@code comment}) one at
 * a time, each waited for with a bound.
 */
public final class SseClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Event END = new Event("end", null, null);

    /** One event: its {@code event:} name, {@code id:} (null when it had none) and {@code data:}. */
    public record Event(String name, String id, String data) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        if (response.statusCode() == 200) Thread.ofVirtual().start(this::read);
        else ended = true;
    }

    /** Opens {@code base + path} with Accept: text/event-stream and the given headers (Last-Event-ID, Authorization...). */
    public static SseClient open(String base, String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream").GET();
        headers.forEach(b::header);
        try {
            return new SseClient(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static SseClient open(String base, String path) {
        return open(base, path, Map.of());
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private void read() {
        String name = null, id = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data != null) events.add(new Event(name == null ? "message" : name, id, data.toString()));
                    name = null;
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event("comment", null, line.substring(1).strip()));
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        } catch (RuntimeException e) {
            // the connection closed under us: the stream ended
        } finally {
            ended = true;
            events.add(END);
        }
    }

    /** The next event that is not a comment; fails when none comes within {@code within} or the stream ended. */
    public Event next(Duration within) {
        for (;;) {
            Event e = nextOrComment(within);
            if (!e.name().equals("comment")) return e;
        }
    }

    /** The next event or comment; fails when none comes within {@code within} or the stream ended. */
    public Event nextOrComment(Duration within) {
        Event e;
        try {
            e = events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
        if (e == null) throw new AssertionError("no event within " + within);
        if (e == END) {
            events.add(END);
            throw new AssertionError("the stream ended");
        }
        return e;
    }

    /** Whether the server ended the stream within {@code within}, every event before the end being skipped. */
    public boolean endsWithin(Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            try {
                Event e = events.poll(Math.max(1, (until - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (e == END) {
                    events.add(END);
                    return true;
                }
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ended;
    }

    @Override
    public void close() {
        response.body().close();
    }
}
