package dev.jobline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What following prints for a job: the bar on a terminal, a line per change in a pipe. */
class FollowViewTest {
    private static final String RUNNING = "{\"id\":\"j1\",\"state\":\"running\",\"version\":3,\"node\":\"test-node-1\","
            + "\"progress\":{\"percent\":42,\"message\":\"step 42 of 100\"}}";
    private static final String QUEUED = "{\"id\":\"j1\",\"state\":\"queued\",\"version\":1,\"progress\":{\"percent\":0}}";

    private static JsonNode job(String json) throws IOException {
        return Json.MAPPER.readTree(json);
    }

    private static String shown(FollowView view, ByteArrayOutputStream bytes, String json) throws IOException {
        view.show(job(json));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theBarOfARunningJobSaysWhichNodeRunsIt() throws IOException {
        var bytes = new ByteArrayOutputStream();
        String line = shown(new BarView(new PrintStream(bytes, true, StandardCharsets.UTF_8), 120), bytes, RUNNING);
        assertThat(line).contains(" 42%  running on test-node-1  step 42 of 100  ");
    }

    @Test
    void aLinePerChangeEndsWithTheNodeWhileTheJobRuns() throws IOException {
        var bytes = new ByteArrayOutputStream();
        String line = shown(new LineView(new PrintStream(bytes, true, StandardCharsets.UTF_8)), bytes, RUNNING);
        assertThat(line).isEqualTo("j1 running  42%  step 42 of 100  on test-node-1" + System.lineSeparator());
    }

    @Test
    void aLogLineGoesAboveTheBarWhichIsDrawnAgainBelowItAndInAPipeItIsALine() throws IOException {
        var bytes = new ByteArrayOutputStream();
        BarView bar = new BarView(new PrintStream(bytes, true, StandardCharsets.UTF_8), 120);
        String drawn = shown(bar, bytes, RUNNING).substring(1); // the bar without its leading \r
        bar.line(job("{\"n\":1,\"stream\":\"stdout\",\"text\":\"hello\"}"));
        String after = bytes.toString(StandardCharsets.UTF_8).substring(drawn.length() + 1);
        assertThat(after).isEqualTo("\r\u001b[Khello" + System.lineSeparator() + drawn);
        var lines = new ByteArrayOutputStream();
        new LineView(new PrintStream(lines, true, StandardCharsets.UTF_8)).line(job("{\"n\":1,\"stream\":\"log\",\"text\":\"hi\"}"));
        assertThat(lines.toString(StandardCharsets.UTF_8)).isEqualTo("hi" + System.lineSeparator());
    }

    @Test
    void aJobThatRunsNowhereShowsNoNode() throws IOException {
        var bar = new ByteArrayOutputStream();
        assertThat(shown(new BarView(new PrintStream(bar, true, StandardCharsets.UTF_8), 120), bar, QUEUED)).doesNotContain(" on ");
        var lines = new ByteArrayOutputStream();
        assertThat(shown(new LineView(new PrintStream(lines, true, StandardCharsets.UTF_8)), lines, QUEUED))
                .isEqualTo("j1 queued   0%" + System.lineSeparator());
    }
}
