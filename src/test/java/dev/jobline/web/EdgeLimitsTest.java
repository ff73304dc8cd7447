package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.JavalinTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a careless or hostile client meets first at the HTTP edge: body limits, read timeouts, gone clients. Raw sockets, since no client library misbehaves on purpose. */
@Timeout(30)
class EdgeLimitsTest {

    @Test
    void aDeclaredBodyOverTheLimitGets413BeforeAnyOfItIsSentAndTheConnectionCloses() {
        ApiFixture fx = new ApiFixture();
        JavalinTest.test(fx.app, (server, client) -> {
            URI origin = URI.create(client.getOrigin());
            try {
                // why: a route that exists and reads its body, one that does not read it, and one that does not exist
                for (String target : new String[] {"POST /api/jobs", "POST /api/jobs/some-id/cancel", "PUT /api/not-a-route"}) {
                    String answer = exchange(origin, target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 1073741824\r\n\r\n{", 5_000);
                    assertThat(answer).as(target).startsWith("HTTP/1.1 413 ");
                    assertThat(answer).as(target).containsIgnoringCase("Content-Type: application/problem+json");
                    assertThat(answer).as(target).contains("\"status\":413").contains("larger than this server accepts (65536 bytes at most)");
                }
            } finally {
                fx.engine.close();
            }
        });
    }

    @Test
    void aChunkedBodyThatPassesTheLimitWhileStreamingGets413() {
        ApiFixture fx = new ApiFixture();
        JavalinTest.test(fx.app, (server, client) -> {
            URI origin = URI.create(client.getOrigin());
            StringBuilder request = new StringBuilder("POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 80; i++) request.append("400\r\n").append(" ".repeat(1024)).append("\r\n"); // 80 KiB, no last chunk
            try {
                String answer = exchange(origin, request.toString(), 5_000);
                assertThat(answer).startsWith("HTTP/1.1 413 ");
                assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
                assertThat(answer).contains("\"status\":413").contains("larger than this server accepts (65536 bytes at most)");
            } finally {
                fx.engine.close();
            }
        });
    }

    /**
     * Sends {@code request} and reads until the server closes the connection; fails if it neither
     * answers nor closes within {@code millis}.
     */
    static String exchange(URI origin, String request, int millis) {
        try (Socket s = new Socket(origin.getHost(), origin.getPort())) {
            s.setSoTimeout(millis);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readToEnd(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the server sends until it closes; an AssertionError if it stays silent and open past the socket's timeout. */
    static String readToEnd(Socket s) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = s.getInputStream().read(buffer)) != -1; ) got.write(buffer, 0, n);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the connection within " + s.getSoTimeout()
                    + " ms; it sent: " + got.toString(StandardCharsets.ISO_8859_1));
        } catch (java.net.SocketException e) {
            // why: a server that closes with unread input may reset the connection; what arrived before counts
            if (got.size() == 0) throw e;
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
