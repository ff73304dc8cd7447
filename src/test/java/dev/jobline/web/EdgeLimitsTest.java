package dev.jobline.web;

import dev.jobline.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.JobEngine;
import dev.jobline.job.JobType;
import dev.jobline.job.TestTypes;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.types.SleepJob;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a careless or hostile client meets first at the HTTP edge: body limits, read timeouts, gone clients. Raw sockets, since no client library misbehaves on purpose. */
@Timeout(30)
class EdgeLimitsTest {

    @Test
    void aClientThatSendsABodyALittleOverTheLimitWithoutWaitingReadsIts413() {
        ApiFixture fx = new ApiFixture();
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            try {
                String body = "{\"type\":\"sleep\",\"params\":{\"seconds\":1}}" + " ".repeat(200_000);
                for (int i = 0; i < 30; i++) { // why: the reset it used to get came at random; thirty tries show it is gone
                    Answer a = http.post("/api/jobs", body);
                    assertThat(a.status()).isEqualTo(413);
                    assertThat(a.json().get("detail").asText()).contains("65536 bytes at most");
                }
                assertThat(http.get("/health").status()).isEqualTo(200);
            } finally {
                fx.engine.close();
            }
        });
    }

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

    @Test
    void aStalledSenderIsCutOffAfterTheReadTimeoutWhileOtherClientsAreServed() throws Exception {
        ApiFixture fx = new ApiFixture(WebOptions.local().withReadTimeout(Duration.ofSeconds(2)));
        JobEngine engine = fx.engine;
        Javalin app = fx.app;
        JavalinTest.test(app, (server, client) -> {
            URI origin = URI.create(client.getOrigin());
            TestHttp http = new TestHttp(client.getOrigin());
            List<Socket> inHeaders = new ArrayList<>();
            List<Socket> inBody = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    inHeaders.add(send(origin, "GET /health HTTP/1.1\r\nHost: x\r\nAccept: appl"));
                    inBody.add(send(origin, "POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"type\":"));
                }
                assertThat(http.get("/health").status()).isEqualTo(200);
                assertThat(http.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0}}").status()).isEqualTo(202);
                for (Socket s : concat(inHeaders, inBody)) {
                    s.setSoTimeout(1);
                    assertThatThrownBy(() -> s.getInputStream().read()).as("still held while others were served")
                            .isInstanceOf(SocketTimeoutException.class);
                }
                for (Socket s : inHeaders) {
                    s.setSoTimeout(10_000);
                    assertThat(readToEnd(s)).as("a request whose headers never end is closed without an answer").isEmpty();
                }
                for (Socket s : inBody) {
                    s.setSoTimeout(10_000);
                    assertThat(readToEnd(s)).startsWith("HTTP/1.1 408 ").containsIgnoringCase("Content-Type: application/problem+json")
                            .contains("read timeout");
                }
            } finally {
                for (Socket s : concat(inHeaders, inBody)) s.close();
                engine.close();
            }
        });
    }

    @Test
    void aLongPollWaitingForItsAnswerIsNotCutByTheReadTimeout() {
        CountDownLatch gate = new CountDownLatch(1);
        ApiFixture fx = new ApiFixture(WebOptions.local().withReadTimeout(Duration.ofMillis(300)), TestTypes.gated("gate", gate));
        JobEngine engine = fx.engine;
        Javalin app = fx.app;
        JavalinTest.test(app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            try {
                String id = http.post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
                await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("running"));
                long v = http.get("/api/jobs/" + id).json().get("version").asLong();
                for (int i = 0; i < 2; i++) { // why: twice, so the second also shows the connection is still good after the first
                    Answer held = http.get("/api/jobs/" + id + "?after=" + v + "&wait=1500ms");
                    assertThat(held.status()).isEqualTo(200);
                    assertThat(held.json().get("version").asLong()).isEqualTo(v);
                }
            } finally {
                gate.countDown();
                engine.close();
            }
        });
    }

    /**
     * Long-polls whose requests Jetty has already ended (here: the server stopped while they were
     * parked): their waiters let go at once, and the later change of their job logs nothing. (Any
     * error for a request that is gone is dropped by Problems, not logged as the server's.)
     */
    @Test
    void answersForRequestsThatAreGoneAreDroppedQuietly() {
        CountDownLatch gate = new CountDownLatch(1);
        ApiFixture fx = new ApiFixture(TestTypes.gated("gate", gate));
        JobEngine engine = fx.engine;
        Javalin app = fx.app;
        int parked = 50;
        List<Socket> clients = new ArrayList<>();
        String[] ids = new String[1];
        try {
            JavalinTest.test(app, (server, client) -> {
                URI origin = URI.create(client.getOrigin());
                TestHttp http = new TestHttp(client.getOrigin());
                String id = http.post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
                ids[0] = id;
                await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("running"));
                long v = http.get("/api/jobs/" + id).json().get("version").asLong();
                for (int i = 0; i < parked; i++) {
                    clients.add(send(origin, "GET /api/jobs/" + id + "?after=" + v + "&wait=60s HTTP/1.1\r\nHost: x\r\n\r\n"));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> fx.watch.waiting() == parked);
            });
            // why: Jetty fails the held requests as it stops, and each held long-poll lets go of its waiter then
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.watch.waiting() == 0);
            String logs = JavalinTest.captureStdOut(() -> {
                gate.countDown(); // the job ends: a change for requests that no longer exist
                await().atMost(Duration.ofSeconds(10)).until(() -> engine.get(ids[0]).orElseThrow().isTerminal());
            });
            assertThat(logs).as("what the server logged").doesNotContain("WARN").doesNotContain("ERROR");
        } finally {
            gate.countDown();
            for (Socket s : clients) closeQuietly(s);
            engine.close();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a test's socket
        }
    }

    private static List<Socket> concat(List<Socket> a, List<Socket> b) {
        List<Socket> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A connection that has sent {@code partial} and then nothing more. */
    private static Socket send(URI origin, String partial) throws IOException {
        Socket s = new Socket(origin.getHost(), origin.getPort());
        s.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
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
