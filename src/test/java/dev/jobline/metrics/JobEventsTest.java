package dev.jobline.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jobline.CapturedLog;
import dev.jobline.Node;
import dev.jobline.TestNode;
import dev.jobline.json.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Job event lines: submitted, started and finished with the state, one each, without the job's data. */
@Timeout(60)
class JobEventsTest {
    @Test
    void aJobLeavesASubmittedAStartedAndAFinishedLine() throws Exception {
        CapturedLog log = new CapturedLog("jobline.events");
        try (Node node = TestNode.start()) {
            node.active().listen(new JobEvents(log, node.engine().nodeId(), node.store().exclusive()));
            String ok = node.engine().submit("sleep", JsonNodeFactory.instance.objectNode().put("seconds", 0), null).id();
            String cancelled = node.engine().submit("sleep", JsonNodeFactory.instance.objectNode().put("seconds", 60), null).id();
            await().atMost(Duration.ofSeconds(20)).until(() -> node.engine().get(ok).orElseThrow().isTerminal()
                    && node.engine().get(cancelled).orElseThrow().state().wireName().equals("running"));
            node.engine().cancel(cancelled);
            await().atMost(Duration.ofSeconds(20)).until(() -> log.lines.size() >= 6);

            List<JsonNode> lines = log.lines.stream().map(JobEventsTest::json).toList();
            assertThat(lines).hasSize(6);
            assertThat(lines.stream().filter(l -> l.get("job").asText().equals(ok)).map(l -> l.get("event").asText()).toList())
                    .containsExactly("job.submitted", "job.started", "job.finished");
            JsonNode started = lines.stream().filter(l -> l.get("event").asText().equals("job.started")).findFirst().orElseThrow();
            assertThat(started.get("type").asText()).isEqualTo("sleep");
            assertThat(started.get("attempt").asInt()).isEqualTo(1);
            assertThat(started.get("node").asText()).isEqualTo(node.engine().nodeId());
            JsonNode succeeded = finished(lines, ok);
            assertThat(succeeded.get("state").asText()).isEqualTo("succeeded");
            assertThat(succeeded.get("ranMs").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(succeeded.has("error")).isFalse();
            JsonNode ended = finished(lines, cancelled);
            assertThat(ended.get("state").asText()).isEqualTo("cancelled");
            assertThat(ended.get("error").asText()).isEqualTo("cancelled");
            assertThat(String.join("\n", log.lines)).doesNotContain("seconds", "params");
        }
    }

    private static JsonNode finished(List<JsonNode> lines, String id) {
        return lines.stream().filter(l -> l.get("event").asText().equals("job.finished") && l.get("job").asText().equals(id))
                .findFirst().orElseThrow();
    }

    private static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
