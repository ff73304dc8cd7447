package dev.jobline.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.Config;
import dev.jobline.Jobline;
import dev.jobline.TestHttp;
import dev.jobline.job.JobState;
import dev.jobline.json.Json;
import dev.jobline.web.Tokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} over real HTTP from a server on a real SQLite file, read by Prometheus's own parsers. */
@Timeout(120)
class MetricsScrapeTest {
    @TempDir
    Path dir;

    private Jobline start(Config config) {
        return Jobline.start(config.withPort(0).withStore("sqlite", dir));
    }

    private static List<PromText.Sample> scrape(TestHttp http) {
        TestHttp.Answer a = http.get("/metrics");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(PromText.lint(a.body())).isEmpty();
        return PromText.parse(a.body());
    }

    @Test
    void theCountersHistogramsAndGaugesFollowTheWorkDone() throws Exception {
        try (Jobline server = start(Config.defaults())) {
            TestHttp http = new TestHttp(server.url());
            String node = server.engine().nodeId();
            List<PromText.Sample> before = scrape(http);

            int n = 7;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) ids.add(http.submitSleep("{\"seconds\":0}"));
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                    .allMatch(id -> server.engine().get(id).orElseThrow().state() == JobState.SUCCEEDED));

            String longOne = http.submitSleep("{\"seconds\":60}");
            await().atMost(Duration.ofSeconds(30)).until(() -> server.engine().get(longOne).orElseThrow().state() == JobState.RUNNING);
            long version = server.engine().get(longOne).orElseThrow().version();
            CompletableFuture<TestHttp.Answer> held = http.getAsync("/api/jobs/" + longOne + "?after=" + version + "&wait=30s");
            await().atMost(Duration.ofSeconds(30)).until(() -> PromText.value(scrape(http), "jobline_waiters", Map.of()) == 1);
            List<PromText.Sample> during = scrape(http);
            assertThat(PromText.value(during, "jobline_jobs", Map.of("type", "sleep", "state", "running", "node", node))).isEqualTo(1);

            assertThat(http.post("/api/jobs/" + longOne + "/cancel", "").status()).isEqualTo(202);
            assertThat(held.get().json().get("state").asText()).isIn("running", "cancelled");
            await().atMost(Duration.ofSeconds(30)).until(() -> server.engine().get(longOne).orElseThrow().isTerminal());
            List<PromText.Sample> after = scrape(http);

            Map<String, String> sleep = Map.of("type", "sleep");
            Map<String, String> succeeded = Map.of("type", "sleep", "state", "succeeded");
            assertThat(delta(before, after, "jobline_jobs_submitted_total", sleep)).isEqualTo(n + 1);
            assertThat(delta(before, after, "jobline_jobs_started_total", Map.of("type", "sleep", "node", node))).isEqualTo(n + 1);
            assertThat(delta(before, after, "jobline_jobs_finished_total", Map.of("type", "sleep", "state", "succeeded", "node", node)))
                    .isEqualTo(n);
            assertThat(delta(before, after, "jobline_jobs_finished_total", Map.of("type", "sleep", "state", "cancelled", "node", node)))
                    .isEqualTo(1);
            assertThat(delta(before, after, "jobline_job_run_seconds_count", succeeded)).isEqualTo(n);
            assertThat(delta(before, after, "jobline_job_run_seconds_bucket", Map.of("type", "sleep", "state", "succeeded", "le", "+Inf")))
                    .isEqualTo(n);
            assertThat(delta(before, after, "jobline_job_queue_wait_seconds_count", sleep)).isEqualTo(n + 1);
            assertThat(delta(before, after, "jobline_wake_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
            assertThat(delta(before, after, "jobline_store_commit_seconds_count", Map.of())).isGreaterThanOrEqualTo(n);
            assertThat(delta(before, after, "jobline_store_writes_total", Map.of())).isGreaterThanOrEqualTo(3 * n);
            assertThat(PromText.value(after, "jobline_waiters", Map.of())).isZero();
            assertThat(PromText.value(after, "jobline_jobs", Map.of("type", "sleep"))).isZero();
            assertThat(names(after)).contains("jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds_count",
                    "process_cpu_seconds_total");
        }
    }

    private static double delta(List<PromText.Sample> before, List<PromText.Sample> after, String name, Map<String, String> labels) {
        return PromText.value(after, name, labels) - PromText.value(before, name, labels);
    }

    private static Set<String> names(List<PromText.Sample> samples) {
        return samples.stream().map(PromText.Sample::name).collect(Collectors.toSet());
    }

    @Test
    void metricsNeedAnAdminTokenWhenTokensAreDeclared() {
        Tokens tokens = Tokens.parse("alice user s3cret-alice\nops admin s3cret-ops\n");
        try (Jobline server = start(Config.defaults().withTokens(tokens))) {
            TestHttp http = new TestHttp(server.url());
            TestHttp.Answer none = http.get("/metrics");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.contentType()).startsWith("application/problem+json");
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            TestHttp.Answer user = http.send(bearer(server, "s3cret-alice"));
            assertThat(user.status()).isEqualTo(403);
            assertThat(user.contentType()).startsWith("application/problem+json");
            assertThat(user.json().get("detail").asText()).contains("admin");
            TestHttp.Answer admin = http.send(bearer(server, "s3cret-ops"));
            assertThat(admin.status()).isEqualTo(200);
            assertThat(admin.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(PromText.lint(admin.body())).isEmpty();
            assertThat(names(PromText.parse(admin.body()))).contains("jobline_waiters");
        }
    }

    private static HttpRequest.Builder bearer(Jobline server, String token) {
        return HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).header("Authorization", "Bearer " + token).GET();
    }

    @Test
    void metricsOffLeavesNoRoute() {
        try (Jobline server = start(Config.defaults().withMonitoring(new Config.Monitoring(false, true)))) {
            assertThat(new TestHttp(server.url()).get("/metrics").status()).isEqualTo(404);
        }
    }

    private static final Pattern SERIES = Pattern.compile("\\b((?:jobline|jvm|process)_[a-z0-9_]+)\\b");

    @Test
    void theGrafanaDashboardAsksOnlyForSeriesTheServerExposes() throws Exception {
        JsonNode dashboard = Json.MAPPER.readTree(Files.readString(Path.of("docs/grafana/jobline.json")));
        List<String> exprs = dashboard.findValues("expr").stream().map(JsonNode::asText).toList();
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(8);
        Set<String> asked = new HashSet<>();
        for (String e : exprs) {
            Matcher m = SERIES.matcher(e);
            while (m.find()) asked.add(m.group(1));
        }
        try (Jobline server = start(Config.defaults())) {
            TestHttp http = new TestHttp(server.url());
            String id = http.submitSleep("{\"seconds\":0}");
            await().atMost(Duration.ofSeconds(30)).until(() -> server.engine().get(id).orElseThrow().isTerminal());
            Set<String> exposed = names(scrape(http));
            assertThat(exposed).as("the series of /metrics").containsAll(asked);
        }
        assertThat(asked).contains("jobline_jobs", "jobline_jobs_submitted_total", "jobline_jobs_finished_total",
                "jobline_job_run_seconds_bucket", "jobline_job_queue_wait_seconds_bucket", "jobline_waiters",
                "jobline_wake_seconds_bucket", "jobline_store_commit_seconds_bucket");
    }
}
