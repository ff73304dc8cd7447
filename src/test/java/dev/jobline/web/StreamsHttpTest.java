package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.SseClient;
import dev.jobline.SseClient.Event;
import dev.jobline.TestHttp;
import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.Quotas;
import dev.jobline.job.TestTypes;
import dev.jobline.time.Timers;
import io.javalin.testtools.JavalinTest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server-Sent Events on the job routes, over real HTTP: order, resuming, keep-alive, limits, drain and slow readers. */
@Timeout(120)
class StreamsHttpTest {
    private static final Duration EVENT = Duration.ofSeconds(10);

    private interface Body {
        void run(String origin, TestHttp http) throws Exception;
    }

    private static void serve(ApiFixture fx, Body body) {
        JavalinTest.test(fx.app, (server, client) -> {
            try {
                body.run(client.getOrigin(), new TestHttp(client.getOrigin()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                fx.node.close();
            }
        });
    }

    private static String submit(TestHttp http, String body) {
        return http.post("/api/jobs", body).json().get("id").asText();
    }

    @Test
    void aJobStreamSendsEveryVersionInOrderEndsAfterTheEndAndResumesAfterLastEventId() {
        CountDownLatch gate = new CountDownLatch(1);
        ApiFixture fx = new ApiFixture(TestTypes.gated("gate", gate));
        serve(fx, (origin, http) -> {
            String id = submit(http, "{\"type\":\"gate\"}");
            await().atMost(EVENT).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("running"));
            long v = http.get("/api/jobs/" + id).json().get("version").asLong();
            try (SseClient all = SseClient.open(origin, "/api/jobs/" + id);
                 SseClient resumed = SseClient.open(origin, "/api/jobs/" + id, Map.of("Last-Event-ID", Long.toString(v)))) {
                assertThat(all.status()).isEqualTo(200);
                assertThat(all.header("Content-Type")).startsWith("text/event-stream");
                Event first = all.next(EVENT);
                assertThat(first.name()).isEqualTo("job");
                assertThat(first.id()).isEqualTo(Long.toString(v));
                assertThat(first.json().get("version").asLong()).isEqualTo(v);
                await().atMost(EVENT).until(() -> fx.watch.waiting() == 2);
                gate.countDown();
                for (SseClient c : List.of(all, resumed)) {
                    long last = v;
                    for (;;) {
                        Event e = c.next(EVENT);
                        assertThat(Long.parseLong(e.id())).isGreaterThan(last);
                        assertThat(e.json().get("version").asLong()).isEqualTo(Long.parseLong(e.id()));
                        last = Long.parseLong(e.id());
                        if (e.json().get("state").asText().equals("succeeded")) break;
                    }
                    assertThat(c.endsWithin(EVENT)).as("the stream ends after the terminal event").isTrue();
                }
            }
            long end = http.get("/api/jobs/" + id).json().get("version").asLong();
            try (SseClient after = SseClient.open(origin, "/api/jobs/" + id, Map.of("Last-Event-ID", Long.toString(end)))) {
                assertThat(after.status()).as("nothing after the end: 204 stops an EventSource").isEqualTo(204);
            }
            try (SseClient again = SseClient.open(origin, "/api/jobs/" + id + "?after=" + (end - 1))) {
                assertThat(again.next(EVENT).id()).isEqualTo(Long.toString(end));
                assertThat(again.endsWithin(EVENT)).isTrue();
            }
            try (SseClient bad = SseClient.open(origin, "/api/jobs/" + id, Map.of("Last-Event-ID", "seven"))) {
                assertThat(bad.status()).isEqualTo(400);
            }
            try (SseClient missing = SseClient.open(origin, "/api/jobs/nope")) {
                assertThat(missing.status()).isEqualTo(404);
            }
            await().atMost(EVENT).until(() -> fx.watch.waiting() == 0);
        });
    }

    @Test
    void theCollectionStreamStartsWithAListingSendsEveryChangeAndResumesWithNothingLostOrRepeated() {
        ApiFixture fx = new ApiFixture();
        serve(fx, (origin, http) -> {
            String before = submit(http, "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1}}");
            await().atMost(EVENT).until(() -> http.get("/api/jobs/" + before).json().get("state").asText().equals("succeeded"));
            Set<String> seen = new HashSet<>();
            Map<String, String> states = new HashMap<>();
            String lastId;
            try (SseClient s = SseClient.open(origin, "/api/jobs")) {
                Event reset = s.next(EVENT);
                assertThat(reset.name()).isEqualTo("reset");
                assertThat(reset.json().get("reset").asBoolean()).isTrue();
                assertThat(reset.json().get("jobs").get(0).get("id").asText()).isEqualTo(before);
                assertThat(reset.id()).isEqualTo(reset.json().get("cursor").asText());
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 5; i++) ids.add(submit(http, "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1}}"));
                lastId = reset.id();
                while (!ids.stream().allMatch(i -> "succeeded".equals(states.get(i)))) {
                    Event e = s.next(EVENT);
                    assertThat(e.name()).isEqualTo("job");
                    assertThat(e.id()).isNotEqualTo(lastId);
                    lastId = e.id();
                    JsonNode j = e.json();
                    assertThat(seen.add(j.get("id").asText() + "@" + j.get("version").asLong())).as("each version once").isTrue();
                    states.put(j.get("id").asText(), j.get("state").asText());
                }
            }
            // while the client is away: three more jobs run, and one is deleted
            List<String> later = new ArrayList<>();
            for (int i = 0; i < 3; i++) later.add(submit(http, "{\"type\":\"sleep\",\"params\":{\"seconds\":0,\"steps\":1}}"));
            for (String id : later) await().atMost(EVENT).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("succeeded"));
            assertThat(http.delete("/api/jobs/" + before).status()).isEqualTo(204);
            try (SseClient s = SseClient.open(origin, "/api/jobs", Map.of("Last-Event-ID", lastId))) {
                boolean deleted = false;
                Map<String, String> laterStates = new HashMap<>();
                while (!deleted || !later.stream().allMatch(i -> "succeeded".equals(laterStates.get(i)))) {
                    Event e = s.next(EVENT);
                    if (e.name().equals("deleted")) {
                        assertThat(e.json().get("id").asText()).isEqualTo(before);
                        deleted = true;
                        continue;
                    }
                    assertThat(e.name()).isEqualTo("job");
                    JsonNode j = e.json();
                    assertThat(later).as("only what changed while away").contains(j.get("id").asText());
                    assertThat(seen.add(j.get("id").asText() + "@" + j.get("version").asLong())).as("nothing repeated").isTrue();
                    laterStates.put(j.get("id").asText(), j.get("state").asText());
                }
            }
            try (SseClient other = SseClient.open(origin, "/api/jobs?after=abc-5")) {
                Event e = other.next(EVENT);
                assertThat(e.name()).as("a cursor of another feed (a restarted memory store)").isEqualTo("reset");
                assertThat(e.json().get("jobs")).hasSize(8);
            }
            try (SseClient bad = SseClient.open(origin, "/api/jobs", Map.of("Last-Event-ID", "not a cursor"))) {
                assertThat(bad.status()).isEqualTo(400);
            }
        });
    }

    @Test
    void aFilteredCollectionStreamSendsOnlyItsJobsAndTheOnesThatLeaveIt() {
        CountDownLatch gate = new CountDownLatch(1);
        ApiFixture fx = new ApiFixture(TestTypes.gated("gate", gate));
        serve(fx, (origin, http) -> {
            try (SseClient s = SseClient.open(origin, "/api/jobs?state=running")) {
                assertThat(s.next(EVENT).json().get("jobs")).isEmpty();
                String id = submit(http, "{\"type\":\"gate\"}");
                Event running = s.next(EVENT);
                assertThat(running.name()).isEqualTo("job");
                assertThat(running.json().get("state").asText()).isEqualTo("running");
                gate.countDown();
                Event left = s.next(EVENT);
                assertThat(left.name()).isEqualTo("deleted");
                assertThat(left.json().get("id").asText()).isEqualTo(id);
            }
        });
    }

    @Test
    void aLogStreamSendsEveryLineOnceAcrossADisconnectAndEndsWithTheJob() {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        ApiFixture fx = new ApiFixture(EngineOptions.defaults().withTimings(Duration.ofMillis(20), Duration.ofHours(1)),
                TestTypes.logging("talk", lines));
        serve(fx, (origin, http) -> {
            String id = submit(http, "{\"type\":\"talk\"}");
            long last;
            try (SseClient s = SseClient.open(origin, "/api/jobs/" + id + "/log")) {
                for (int i = 1; i <= 5; i++) lines.add("line " + i);
                for (int i = 1; i <= 5; i++) {
                    Event e = s.next(EVENT);
                    assertThat(e.name()).isEqualTo("line");
                    assertThat(e.id()).isEqualTo(Integer.toString(i));
                    assertThat(e.json().get("text").asText()).isEqualTo("line " + i);
                    assertThat(e.json().get("n").asLong()).isEqualTo(i);
                }
                last = 5;
            }
            for (int i = 6; i <= 9; i++) lines.add("line " + i);
            await().atMost(EVENT).until(() -> http.get("/api/jobs/" + id + "/log").json().get("next").asLong() == 9);
            try (SseClient s = SseClient.open(origin, "/api/jobs/" + id + "/log", Map.of("Last-Event-ID", Long.toString(last)))) {
                for (int i = 6; i <= 12; i++) {
                    if (i == 10) for (int k = 10; k <= 12; k++) lines.add("line " + k);
                    Event e = s.next(EVENT);
                    assertThat(e.id()).isEqualTo(Integer.toString(i));
                    assertThat(e.json().get("text").asText()).isEqualTo("line " + i);
                }
                lines.add("END");
                assertThat(s.endsWithin(EVENT)).as("the log stream ends with its job").isTrue();
            }
            try (SseClient s = SseClient.open(origin, "/api/jobs/" + id + "/log?after=12")) {
                assertThat(s.status()).isEqualTo(204);
            }
            try (SseClient s = SseClient.open(origin, "/api/jobs/" + id + "/log?after=10")) {
                assertThat(s.next(EVENT).id()).isEqualTo("11");
                assertThat(s.next(EVENT).id()).isEqualTo("12");
                assertThat(s.endsWithin(EVENT)).isTrue();
            }
        });
    }

    @Test
    void aQuietStreamSendsKeepAlivesEndsAfterMaxStreamAndCountsAsAWaiterMeanwhile() {
        ApiFixture fx = new ApiFixture(EngineOptions.defaults(), Quotas.none(), Timers.system(Clock.systemUTC()),
                WebOptions.local().withStreams(new StreamOptions(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5))));
        serve(fx, (origin, http) -> {
            try (SseClient s = SseClient.open(origin, "/api/jobs")) {
                assertThat(s.nextOrComment(EVENT).name()).isEqualTo("reset");
                Event ka = s.nextOrComment(EVENT);
                assertThat(ka.name()).isEqualTo("comment");
                assertThat(ka.data()).isEqualTo("keep-alive");
                assertThat(fx.watch.waiting()).isEqualTo(1);
                assertThat(s.endsWithin(EVENT)).as("ended after --max-stream").isTrue();
            }
            await().atMost(EVENT).until(() -> fx.watch.waiting() == 0);
        });
    }

    @Test
    void streamsCountAgainstTheWaiterQuotaAndAreReleasedWhenTheClientLeaves() {
        ApiFixture fx = new ApiFixture(new Quotas(null, null, 2), WebOptions.local());
        serve(fx, (origin, http) -> {
            SseClient a = SseClient.open(origin, "/api/jobs");
            SseClient b = SseClient.open(origin, "/api/jobs");
            a.next(EVENT);
            b.next(EVENT);
            try (SseClient c = SseClient.open(origin, "/api/jobs")) {
                assertThat(c.status()).isEqualTo(429);
            }
            String cursor = http.get("/api/jobs").json().get("cursor").asText();
            assertThat(http.get("/api/jobs?after=" + cursor + "&wait=5s").status()).as("a long-poll finds the quota taken too").isEqualTo(429);
            a.close();
            await().atMost(EVENT).until(() -> fx.watch.waiting() == 1);
            try (SseClient c = SseClient.open(origin, "/api/jobs")) {
                assertThat(c.status()).isEqualTo(200);
            }
            b.close();
            await().atMost(EVENT).until(() -> fx.watch.waiting() == 0);
        });
    }

    @Test
    void drainingEndsEveryStreamCleanly() {
        CountDownLatch gate = new CountDownLatch(1);
        ApiFixture fx = new ApiFixture(TestTypes.gated("gate", gate));
        serve(fx, (origin, http) -> {
            String id = submit(http, "{\"type\":\"gate\"}");
            List<SseClient> streams = List.of(SseClient.open(origin, "/api/jobs"), SseClient.open(origin, "/api/jobs/" + id),
                    SseClient.open(origin, "/api/jobs/" + id + "/log"));
            await().atMost(EVENT).until(() -> fx.watch.waiting() == 3);
            fx.watch.releaseAll();
            for (SseClient s : streams) assertThat(s.endsWithin(EVENT)).isTrue();
            try (SseClient late = SseClient.open(origin, "/api/jobs")) {
                assertThat(late.status()).isEqualTo(503);
            }
            gate.countDown();
        });
    }

    @Test
    void aReaderThatTakesNothingIsClosedWithoutHoldingBackAFastOne() {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        ApiFixture fx = new ApiFixture(EngineOptions.defaults().withTimings(Duration.ofMillis(20), Duration.ofHours(1)), Quotas.none(),
                Timers.system(Clock.systemUTC()),
                WebOptions.local().withStreams(new StreamOptions(Duration.ofSeconds(15), Duration.ofHours(1), Duration.ofSeconds(1))),
                TestTypes.logging("talk", lines));
        serve(fx, (origin, http) -> {
            String id = submit(http, "{\"type\":\"talk\"}");
            URI o = URI.create(origin);
            try (Socket slow = new Socket()) {
                slow.setReceiveBufferSize(4096);
                slow.connect(new InetSocketAddress(o.getHost(), o.getPort()));
                slow.getOutputStream().write(("GET /api/jobs/" + id + "/log HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                try (SseClient fast = SseClient.open(origin, "/api/jobs/" + id + "/log")) {
                    await().atMost(EVENT).until(() -> fx.watch.waiting() == 2);
                    String text = "x".repeat(4000);
                    int n = 3000;
                    for (int i = 1; i <= n; i++) lines.add(i + " " + text);
                    lines.add("END");
                    long started = System.nanoTime();
                    for (int i = 1; i <= n; i++) assertThat(fast.next(EVENT).id()).isEqualTo(Integer.toString(i));
                    assertThat(fast.endsWithin(EVENT)).isTrue();
                    System.out.printf("fast reader took 3000 lines of 4 KB in %d ms beside a stalled one%n", (System.nanoTime() - started) / 1_000_000);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> fx.watch.waiting() == 0);
                slow.setSoTimeout(10_000);
                InputStream in = slow.getInputStream();
                byte[] buf = new byte[65536];
                long total = 0;
                try {
                    for (int r; (r = in.read(buf)) >= 0 && total < 100_000_000; ) total += r;
                } catch (java.net.SocketException closed) {
                    // reset by the server: closed as it should be
                }
                assertThat(total).as("the slow reader got only what the buffers held before it was closed").isLessThan(3000L * 4000);
            }
        });
    }

    @Test
    void aThousandStreamsOnOneJobAreAllWokenByOneChange() {
        CountDownLatch gate = new CountDownLatch(1);
        ApiFixture fx = new ApiFixture(TestTypes.gated("gate", gate));
        serve(fx, (origin, http) -> {
            String id = submit(http, "{\"type\":\"gate\"}");
            await().atMost(EVENT).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("running"));
            long v = http.get("/api/jobs/" + id).json().get("version").asLong();
            URI o = URI.create(origin);
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    Socket s = new Socket(o.getHost(), o.getPort());
                    s.setSoTimeout(20_000);
                    s.getOutputStream().write(("GET /api/jobs/" + id + " HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\nLast-Event-ID: " + v
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    sockets.add(s);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> fx.watch.waiting() == 1000);
                long woken = System.nanoTime();
                gate.countDown();
                String marker = "event: job\nid: " + (v + 1) + "\n";
                for (Socket s : sockets) {
                    StringBuilder got = new StringBuilder();
                    byte[] buf = new byte[8192];
                    while (got.indexOf(marker) < 0) {
                        int r = s.getInputStream().read(buf);
                        assertThat(r).as("the stream stays open until its event").isPositive();
                        got.append(new String(buf, 0, r, StandardCharsets.UTF_8));
                    }
                }
                java.nio.file.Files.writeString(java.nio.file.Path.of("target/sse-wake-1000.txt"),
                        "1000 streams woken by one change in " + (System.nanoTime() - woken) / 1_000_000 + " ms\n");
            } finally {
                for (Socket s : sockets) s.close();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> fx.watch.waiting() == 0);
        });
    }
}
