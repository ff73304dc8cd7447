package dev.jobline.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's signature check runs as written, and its sample header is what the server's signer makes. */
@Timeout(30)
class ReadmeSignatureTest {
    private static final Pattern BLOCK = Pattern.compile("<!-- readme-callback-verify -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);

    private static String block() throws Exception {
        Matcher m = BLOCK.matcher(Files.readString(Path.of("README.md")));
        assertThat(m.find()).as("the README has a readme-callback-verify block").isTrue();
        return m.group(1);
    }

    private static String value(String block, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "='([^']*)'$").matcher(block);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    private static String run(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip() + " (exit " + p.exitValue() + ")";
    }

    @Test
    void theShellCheckAcceptsTheSignersHeaderAndRefusesATamperedBody() throws Exception {
        String block = block();
        String secret = value(block, "secret");
        String body = value(block, "body");
        String header = value(block, "header");
        long t = Long.parseLong(header.substring(2, header.indexOf(',')));
        assertThat(new Signer(secret.getBytes(StandardCharsets.UTF_8)).header(t, body.getBytes(StandardCharsets.UTF_8))).isEqualTo(header);
        assertThat(run(block)).isEqualTo("signature valid (exit 0)");
        assertThat(run(block.replace("\"succeeded\"", "\"failed\""))).isEqualTo("signature NOT valid (exit 1)");
    }
}
