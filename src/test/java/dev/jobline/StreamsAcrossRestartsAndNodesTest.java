package dev.jobline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.SseClient.Event;
import dev.jobline.pg.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streams resumed with Last-Event-ID on another life of the server, and on another node sharing PostgreSQL. */
@Timeout(180)
class StreamsAcrossRestartsAndNodesTest {
    private static final Duration EVENT = Duration.ofSeconds(20);
    private static final String QUICK = "{\"seconds\":0.2,\"steps\":2}";

    @TempDir
    Path dir;

    private static Jobline start(String... args) {
        return Jobline.start(Config.parse(args, Map.of()));
    }

    /** Reads collection events until {@code id} is seen succeeded; each job version once; returns the last event's id. */
    private static String untilSucceeded(SseClient s, String id, Set<String> seen) {
        for (;;) {
            Event e = s.next(EVENT);
            assertThat(e.name()).as("no reset: the cursor is honoured").isEqualTo("job");
            JsonNode j = e.json();
            assertThat(seen.add(j.get("id").asText() + "@" + j.get("version").asLong())).as("nothing repeated").isTrue();
            if (j.get("id").asText().equals(id) && j.get("state").asText().equals("succeeded")) return e.id();
        }
    }

    @Test
    void onTheSqliteStoreAStreamResumesExactlyAfterARestart() {
        String[] args = {"--port", "0", "--data", dir.toString(), "--grace", "1s"};
        Set<String> seen = new HashSet<>();
        String lastId;
        String first;
        try (Jobline one = start(args)) {
            TestHttp http = new TestHttp(one.url());
            try (SseClient s = SseClient.open(one.url(), "/api/jobs")) {
                assertThat(s.next(EVENT).name()).isEqualTo("reset");
                first = http.submitSleep(QUICK);
                lastId = untilSucceeded(s, first, seen);
            }
        }
        try (Jobline two = start(args)) {
            TestHttp http = new TestHttp(two.url());
            String second = http.submitSleep(QUICK);
            try (SseClient s = SseClient.open(two.url(), "/api/jobs", Map.of("Last-Event-ID", lastId))) {
                untilSucceeded(s, second, seen);
            }
            long v = http.get("/api/jobs/" + first).json().get("version").asLong();
            try (SseClient s = SseClient.open(two.url(), "/api/jobs/" + first, Map.of("Last-Event-ID", Long.toString(v)))) {
                assertThat(s.status()).as("the finished job's last version is still known after the restart").isEqualTo(204);
            }
        }
    }

    @Test
    void onTheMemoryStoreAStreamResumedAfterARestartGetsAReset() {
        String[] args = {"--port", "0", "--store", "memory", "--grace", "1s"};
        String lastId;
        try (Jobline one = start(args)) {
            try (SseClient s = SseClient.open(one.url(), "/api/jobs")) {
                lastId = s.next(EVENT).id();
            }
        }
        try (Jobline two = start(args)) {
            String id = new TestHttp(two.url()).submitSleep(QUICK);
            try (SseClient s = SseClient.open(two.url(), "/api/jobs", Map.of("Last-Event-ID", lastId))) {
                Event reset = s.next(EVENT);
                assertThat(reset.name()).isEqualTo("reset");
                assertThat(reset.json().get("jobs").get(0).get("id").asText()).isEqualTo(id);
                assertThat(reset.id()).isEqualTo(reset.json().get("cursor").asText());
            }
        }
    }

    @Test
    void inAPostgresClusterAStreamOnOneNodeFollowsWorkOnAnotherAndResumesOnAThird() {
        String url = PostgresServer.shared().newDatabase();
        String[] common = {"--port", "0", "--store", "postgres", "--db-url", url, "--grace", "1s"};
        try (Jobline a = start(with(common, "--node-id", "a"));
             Jobline b = start(with(common, "--node-id", "b"));
             Jobline c = start(with(common, "--node-id", "c"))) {
            TestHttp onA = new TestHttp(a.url());
            Set<String> seen = new HashSet<>();
            String lastId;
            String id;
            try (SseClient coll = SseClient.open(b.url(), "/api/jobs")) {
                assertThat(coll.next(EVENT).name()).isEqualTo("reset");
                id = onA.submitSleep("{\"seconds\":0.5,\"steps\":5}");
                try (SseClient job = SseClient.open(b.url(), "/api/jobs/" + id);
                     SseClient log = SseClient.open(c.url(), "/api/jobs/" + id + "/log")) {
                    long last = 0;
                    for (;;) {
                        Event e = job.next(EVENT);
                        assertThat(Long.parseLong(e.id())).isGreaterThan(last);
                        last = Long.parseLong(e.id());
                        if (e.json().get("state").asText().equals("succeeded")) break;
                    }
                    assertThat(job.endsWithin(EVENT)).isTrue();
                    assertThat(log.next(EVENT).id()).isEqualTo("1");
                    assertThat(log.next(EVENT).id()).isEqualTo("2");
                    assertThat(log.endsWithin(EVENT)).isTrue();
                }
                lastId = untilSucceeded(coll, id, seen);
            }
            String next = onA.submitSleep(QUICK);
            TestHttp onC = new TestHttp(c.url());
            await().atMost(EVENT).until(() -> onC.get("/api/jobs/" + next).json().get("state").asText().equals("succeeded"));
            try (SseClient coll = SseClient.open(c.url(), "/api/jobs", Map.of("Last-Event-ID", lastId))) {
                untilSucceeded(coll, next, seen);
            }
        }
    }

    private static String[] with(String[] common, String... more) {
        String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return all;
    }
}
