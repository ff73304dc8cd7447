package dev.jobline;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.JavalinTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EmbeddingTest {

    private static String between(String text, String begin, String end) {
        int a = text.indexOf(begin);
        int b = text.indexOf(end);
        assertThat(a).as("marker " + begin).isNotNegative();
        assertThat(b).as("marker " + end).isGreaterThan(a);
        return text.substring(a + begin.length(), b).strip();
    }

    @Test
    void theReadmeShowsTheEmbeddingExampleThatThisTestRuns() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/jobline/EmbedExample.java"));
        String readme = Files.readString(Path.of("README.md"));
        String example = between(source, "// embed-example:begin", "// embed-example:end");
        assertThat(readme).contains(example);
    }

    @Test
    void theEmbeddingExampleRunsAJobToTheEnd() {
        String out = JavalinTest.captureStdOut(() -> {
            try {
                EmbedExample.main(new String[0]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(out).contains("serving http://127.0.0.1:");
        assertThat(out).contains("succeeded {").contains("\"width\":640").contains("\"height\":480");
    }
}
