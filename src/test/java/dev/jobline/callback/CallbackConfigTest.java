package dev.jobline.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The callback options at start: allowing callbacks without a secret, or a bad prefix, stops the server with exit 3. */
@Timeout(30)
class CallbackConfigTest {
    @TempDir
    Path dir;

    private static int serve(Map<String, String> env, StringWriter err, String... args) {
        return Cli.run(env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    }

    @Test
    void callbacksAllowedWithoutASecretStopTheServerAtStart() {
        StringWriter err = new StringWriter();
        assertThat(serve(Map.of(), err, "serve", "--port", "0", "--store", "memory", "--callback-allow", "https://hooks.example/"))
                .isEqualTo(3);
        assertThat(err.toString()).contains("--callback-allow needs a secret", "JOBLINE_CALLBACK_SECRET", "--callback-secret-file");
        StringWriter fromEnv = new StringWriter();
        assertThat(serve(Map.of("JOBLINE_CALLBACK_ALLOW", "https://hooks.example/", "JOBLINE_CALLBACK_SECRET", " "), fromEnv,
                "--port", "0", "--store", "memory")).isEqualTo(3);
        assertThat(fromEnv.toString()).contains("needs a secret");
    }

    @Test
    void anEmptyOrMissingSecretFileAndABadPrefixAreUsageErrors() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        StringWriter err = new StringWriter();
        assertThat(serve(Map.of(), err, "--port", "0", "--store", "memory", "--callback-allow", "https://hooks.example/",
                "--callback-secret-file", empty.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("callback secret file", "is empty");
        StringWriter missing = new StringWriter();
        assertThat(serve(Map.of(), missing, "--port", "0", "--store", "memory", "--callback-secret-file", dir.resolve("nope").toString()))
                .isEqualTo(3);
        assertThat(missing.toString()).contains("cannot read the callback secret file");
        StringWriter prefix = new StringWriter();
        assertThat(serve(Map.of("JOBLINE_CALLBACK_SECRET", "s"), prefix, "--port", "0", "--store", "memory", "--callback-allow", "hooks.example"))
                .isEqualTo(3);
        assertThat(prefix.toString()).contains("--callback-allow", "'hooks.example'");
    }

    @Test
    void theSecretNeverShowsInTheConfigsText() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "very-secret-value\n");
        var c = dev.jobline.Config.parse(new String[] {"--callback-allow", "https://hooks.example/", "--callback-secret-file", secret.toString()},
                Map.of());
        assertThat(c.toString()).doesNotContain("very-secret-value");
        assertThat(c.callbacks().signer().hmac(1, new byte[0]))
                .isEqualTo(new Signer("very-secret-value".getBytes(java.nio.charset.StandardCharsets.UTF_8)).hmac(1, new byte[0]));
    }
}
