package dev.jobline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubmitParamsTest {
    @Test
    void numbersBecomeNumbersTrueAndFalseBooleansAndAnythingElseStaysAString() {
        assertThat(SubmitCommand.typed("2").isIntegralNumber()).isTrue();
        assertThat(SubmitCommand.typed("0.5").asDouble()).isEqualTo(0.5);
        assertThat(SubmitCommand.typed("-3e2").isNumber()).isTrue();
        assertThat(SubmitCommand.typed("true").isBoolean()).isTrue();
        assertThat(SubmitCommand.typed("false").asBoolean()).isFalse();
        for (String s : new String[] {"abc", "007", "1.", "True", "", "1 2", "null", "0x10"}) {
            assertThat(SubmitCommand.typed(s).isTextual()).as(s).isTrue();
            assertThat(SubmitCommand.typed(s).asText()).isEqualTo(s);
        }
    }
}
