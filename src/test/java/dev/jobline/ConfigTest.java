package dev.jobline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheContract() {
        Config c = Config.defaults();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(7070);
        assertThat(c.data()).isEqualTo(Path.of("./data"));
        assertThat(c.store()).isEqualTo("sqlite");
        assertThat(c.maxWait()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.tokens()).isNull();
        assertThat(c.quotas()).isNotNull();
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverDefaults() {
        Config c = Config.parse(new String[] {"--port=9000", "--max-wait", "2m"},
                Map.of("JOBLINE_PORT", "8000", "JOBLINE_STORE", "memory", "JOBLINE_GRACE", "5s"));
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.store()).isEqualTo("memory");
        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxWait()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theReadTimeoutComesFromAFlagOrTheEnvironmentAndMustBeMoreThanZero() {
        assertThat(Config.parse(new String[] {"--read-timeout", "5s"}, Map.of()).readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Config.parse(new String[0], Map.of("JOBLINE_READ_TIMEOUT", "750ms")).readTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThatThrownBy(() -> Config.parse(new String[] {"--read-timeout", "0s"}, Map.of()))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("--read-timeout must be more than 0");
    }

    @Test
    void tokensComeFromAFileOrFromTheEnvironment() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "alice user s1\n");
        assertThat(Config.parse(new String[] {"--tokens", file.toString()}, Map.of()).tokens().lookup("s1")).isPresent();
        assertThat(Config.parse(new String[0], Map.of("JOBLINE_TOKENS_FILE", file.toString())).tokens().lookup("s1")).isPresent();
        assertThat(Config.parse(new String[0], Map.of("JOBLINE_TOKENS", "bob admin s2")).tokens().lookup("s2")).isPresent();
        assertThatThrownBy(() -> Config.parse(new String[] {"--tokens", dir.resolve("missing").toString()}, Map.of()))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("cannot read the tokens file");
    }

    @Test
    void badValuesAreUsageErrorsThatNameTheOption() {
        assertThatThrownBy(() -> Config.parse(new String[] {"--port", "x"}, Map.of())).hasMessageContaining("--port");
        assertThatThrownBy(() -> Config.parse(new String[] {"--store", "redis"}, Map.of())).hasMessageContaining("--store");
        assertThatThrownBy(() -> Config.parse(new String[] {"--grace", "soon"}, Map.of())).hasMessageContaining("--grace");
        assertThatThrownBy(() -> Config.parse(new String[] {"--nope", "1"}, Map.of())).hasMessageContaining("unknown option --nope");
        assertThatThrownBy(() -> Config.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("needs a value");
    }

    @Test
    void withoutTokensTheServerRefusesToListenBeyondLoopback() {
        Config open = Config.parse(new String[] {"--host", "0.0.0.0", "--port", "0", "--store", "memory"}, Map.of());
        assertThatThrownBy(() -> Jobline.start(open)).isInstanceOf(Config.UsageException.class)
                .hasMessageContaining("loopback only");
    }
}
