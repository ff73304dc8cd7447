package dev.jobline.web;

import dev.jobline.json.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.TestHttp;
import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.JobEngine;
import dev.jobline.engine.Quotas;
import dev.jobline.job.TestTypes;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.types.SleepJob;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that goes away takes its long-poll with it: the waiter and the owner's count are released then, not when the wait passes. */
@Timeout(60)
class DroppedWaitersTest {
    private static final String TOKENS = "alice user alice-secret\n";

    @Test
    void aThousandDroppedLongPollsLeaveNoWaiterAndNoQuotaBehind() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ApiFixture fx = new ApiFixture(new Quotas(null, null, 1000), WebOptions.local().withTokens(Tokens.parse(TOKENS)), TestTypes.gated("gate", gate));
        JobEngine engine = fx.engine;
        Javalin app = fx.app;
        JavalinTest.test(app, (server, client) -> {
            try {
                URI origin = URI.create(client.getOrigin());
                TestHttp http = new TestHttp(client.getOrigin());
                String id = submitGate(origin);
                // why: a cursor from before the job is claimed would answer the watches at once with that change
                await().atMost(Duration.ofSeconds(20)).until(() -> get(origin, "/api/jobs/" + id).contains("\"state\":\"running\""));
                String cursor = get(origin, "/api/jobs").replaceAll("(?s).*\"cursor\":\"([^\"]+)\".*", "$1");
                List<Socket> sockets = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    String path = i % 2 == 0 ? "/api/jobs/" + id + "?after=1000&wait=120s" : "/api/jobs?after=" + cursor + "&wait=120s";
                    sockets.add(open(origin, path));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> fx.watch.waiting() == 1000);
                assertThat(status(open(origin, "/api/jobs/" + id + "?after=1000&wait=120s"))).as("the owner's 1000 waiters are taken").isEqualTo(429);
                for (Socket s : sockets) s.close();
                // the waits are 120 s: only noticing the closed connections brings the count down within the test's time
                await().atMost(Duration.ofSeconds(20)).until(() -> fx.watch.waiting() == 0);
                List<Socket> again = new ArrayList<>();
                for (int i = 0; i < 1000; i++) again.add(open(origin, "/api/jobs/" + id + "?after=1000&wait=120s"));
                await().atMost(Duration.ofSeconds(30)).until(() -> fx.watch.waiting() == 1000);
                for (Socket s : again) s.close();
                await().atMost(Duration.ofSeconds(20)).until(() -> fx.watch.waiting() == 0);
                assertThat(http.get("/health").status()).isEqualTo(200);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                gate.countDown();
                engine.close();
            }
        });
    }

    @Test
    void aHeldLongPollIsStillAnsweredOnAConnectionThatStaysOpenAndTheConnectionIsReused() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ApiFixture fx = new ApiFixture(TestTypes.gated("gate", gate));
        JavalinTest.test(fx.app, (server, client) -> {
            try (Socket s = new Socket("127.0.0.1", URI.create(client.getOrigin()).getPort())) {
                s.setSoTimeout(20_000);
                String id = new TestHttp(client.getOrigin()).post("/api/jobs", "{\"type\":\"gate\"}").json().get("id").asText();
                OutputStream out = s.getOutputStream();
                out.write(("GET /api/jobs/" + id + "?after=1000&wait=300ms HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").contains("\"id\":\"" + id + "\"");
                out.write(("GET /health HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").contains("\"ok\"");
            } finally {
                gate.countDown();
                fx.engine.close();
            }
        });
    }

    private static String submitGate(URI origin) throws Exception {
        try (Socket s = new Socket(origin.getHost(), origin.getPort())) {
            byte[] body = "{\"type\":\"gate\"}".getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(("POST /api/jobs HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer alice-secret\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer.replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        }
    }

    private static String get(URI origin, String path) throws Exception {
        try (Socket s = new Socket(origin.getHost(), origin.getPort())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer alice-secret\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Socket open(URI origin, String path) throws Exception {
        Socket s = new Socket(origin.getHost(), origin.getPort());
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer alice-secret\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static int status(Socket s) throws Exception {
        try (s) {
            s.setSoTimeout(20_000);
            return Integer.parseInt(readResponse(s.getInputStream()).substring(9, 12));
        }
    }

    /** Reads one response with a Content-Length body. */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) break;
            head.append((char) c);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?is).*content-length:\\s*(\\d+).*", "$1"));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
