package dev.jobline.callback;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A callback receiver for tests: an HTTP server on 127.0.0.1, port 0. {@code /hook} records each
 * request and answers the next status queued by {@link #answer} (200 when none is left);
 * {@code /moved} answers 302 to {@code /target}, whose hits are counted.
 */
public final class Receiver implements AutoCloseable {
    /** One request as received: its headers (first value, lower-case names) and raw body. */
    public record Request(Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final AtomicInteger targetHits = new AtomicInteger();

    public Receiver() throws IOException {
        this(0);
    }

    /** A receiver on {@code port} (0 picks a free one). */
    public Receiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            received.add(new Request(headers, body));
            Integer status = statuses.poll();
            ex.sendResponseHeaders(status == null ? 200 : status, -1);
            ex.close();
        });
        server.createContext("/moved", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Location", "/target");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/target", ex -> {
            targetHits.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Queues the statuses the next requests to {@code /hook} get. */
    public Receiver answer(Integer... next) {
        statuses.addAll(java.util.List.of(next));
        return this;
    }

    /** Forgets the statuses still queued: every request from now on is answered 200. */
    public void answerAll200() {
        statuses.clear();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next request to {@code /hook}, waiting at most {@code seconds}; fails when none comes. */
    public Request next(int seconds) throws InterruptedException {
        Request r = received.poll(seconds, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no callback arrived within " + seconds + " s");
        return r;
    }

    public int pending() {
        return received.size();
    }

    public int targetHits() {
        return targetHits.get();
    }

    /** Verifies a Jobline-Signature header over {@code body} with {@code secret}, independently of the server's code. */
    public static boolean signatureValid(String header, byte[] body, String secret) throws Exception {
        String t = header.replaceFirst("^t=([0-9]+),v1=[0-9a-f]{64}$", "$1");
        String v1 = header.replaceFirst("^t=[0-9]+,v1=([0-9a-f]{64})$", "$1");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
        byte[] expected = mac.doFinal(body);
        return java.security.MessageDigest.isEqual(expected, java.util.HexFormat.of().parseHex(v1));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
