package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.TestHttp;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand Server-Sent Events streams held by the real jar and all woken by one change of the
 * job they follow. The server runs in its own process, so each side holds only its own 10,000
 * sockets within the machine's open-file limit.
 */
@Timeout(300)
class StreamsScaleIT {
    private static final int STREAMS = 10_000;
    private static final Pattern EVENT_ID = Pattern.compile("\nid: (\\d+)\n");
    private static final Pattern WAITERS = Pattern.compile("(?m)^jobline_waiters (\\S+)$");

    @TempDir
    Path dir;

    @Test
    void tenThousandStreamsOnOneJobAreHeldAndAllWokenByOneChange() throws Exception {
        try (JoblineProcess server = JoblineProcess.start(dir, "--port", "0", "--store", "memory")) {
            TestHttp http = new TestHttp(server.url());
            String id = http.submitSleep("{\"seconds\":300,\"steps\":1}");
            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/jobs/" + id).json().get("state").asText().equals("running"));
            long v = http.get("/api/jobs/" + id).json().get("version").asLong();
            URI origin = URI.create(server.url());
            byte[] request = ("GET /api/jobs/" + id + " HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\nLast-Event-ID: " + v + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            List<Socket> streams = new ArrayList<>(STREAMS);
            try {
                for (int i = 0; i < STREAMS; i++) {
                    Socket s = new Socket(origin.getHost(), origin.getPort());
                    s.setSoTimeout(60_000);
                    s.getOutputStream().write(request);
                    streams.add(s);
                }
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> waiters(http) == STREAMS);
                long changed = System.nanoTime();
                assertThat(http.post("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(202);
                for (Socket s : streams) assertThat(nextEventId(s)).as("every stream hears of the change").isGreaterThan(v);
                System.out.printf("%,d streams held; all woken by one change within %d ms%n", STREAMS, (System.nanoTime() - changed) / 1_000_000);
            } finally {
                for (Socket s : streams) s.close();
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> waiters(http) == 0);
        }
    }

    /** Reads the stream until its first event and returns the event's id (the job's version). */
    private static long nextEventId(Socket s) throws java.io.IOException {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[4096];
        while (true) {
            Matcher m = EVENT_ID.matcher(got);
            if (m.find()) return Long.parseLong(m.group(1));
            int r = s.getInputStream().read(buf);
            assertThat(r).as("the stream stays open until its event; got so far: %s", got).isPositive();
            got.append(new String(buf, 0, r, StandardCharsets.UTF_8));
        }
    }

    /** The requests the server holds now, from its own metrics. */
    private static long waiters(TestHttp http) {
        Matcher m = WAITERS.matcher(http.get("/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }
}
