package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitParamTest {
    private static final Duration MAX = Duration.ofSeconds(120);
    private static final Duration DEFAULT = Duration.ofSeconds(30);

    @Test
    void readsSecondsAndUnits() {
        assertThat(WaitParam.resolve("30", null, DEFAULT, MAX)).isEqualTo(Duration.ofSeconds(30));
        assertThat(WaitParam.resolve("500ms", null, DEFAULT, MAX)).isEqualTo(Duration.ofMillis(500));
        assertThat(WaitParam.resolve("30s", null, DEFAULT, MAX)).isEqualTo(Duration.ofSeconds(30));
        assertThat(WaitParam.resolve("1.5s", null, DEFAULT, MAX)).isEqualTo(Duration.ofMillis(1500));
        assertThat(WaitParam.resolve("2m", null, DEFAULT, MAX)).isEqualTo(Duration.ofMinutes(2));
        assertThat(WaitParam.resolve("0", null, DEFAULT, MAX)).isEqualTo(Duration.ZERO);
    }

    @Test
    void clampsToTheServerMaximum() {
        assertThat(WaitParam.resolve("10m", null, DEFAULT, MAX)).isEqualTo(MAX);
        assertThat(WaitParam.resolve("999999999", null, DEFAULT, MAX)).isEqualTo(MAX);
    }

    @Test
    void takesPreferWaitWhenTheQueryHasNone() {
        assertThat(WaitParam.resolve(null, "wait=7", DEFAULT, MAX)).isEqualTo(Duration.ofSeconds(7));
        assertThat(WaitParam.resolve(null, "respond-async, wait=12", DEFAULT, MAX)).isEqualTo(Duration.ofSeconds(12));
        assertThat(WaitParam.resolve("2", "wait=12", DEFAULT, MAX)).isEqualTo(Duration.ofSeconds(2));
        assertThat(WaitParam.resolve(null, "handling=lenient", DEFAULT, MAX)).isEqualTo(DEFAULT);
        assertThat(WaitParam.resolve(null, null, DEFAULT, MAX)).isEqualTo(DEFAULT);
    }

    @Test
    void refusesWhatItCannotRead() {
        for (String bad : new String[] {"", "abc", "5h", "-1", "1e3", "5 s", "ms"}) {
            assertThatThrownBy(() -> WaitParam.resolve(bad, null, DEFAULT, MAX)).as(bad).isInstanceOf(Problem.Exception.class);
        }
    }
}
