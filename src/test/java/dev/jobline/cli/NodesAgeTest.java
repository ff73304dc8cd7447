package dev.jobline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodesAgeTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    @Test
    void aHeartbeatAgeIsWrittenInSecondsMinutesOrHoursAndAClockAheadCountsAsNow() {
        assertThat(JobCommands.Nodes.age("2025-01-01T11:59:56.300Z", NOW)).isEqualTo("3s ago");
        assertThat(JobCommands.Nodes.age("2025-01-01T11:56:55Z", NOW)).isEqualTo("3m 5s ago");
        assertThat(JobCommands.Nodes.age("2025-01-01T09:56:00Z", NOW)).isEqualTo("2h 4m ago");
        assertThat(JobCommands.Nodes.age("2025-01-01T12:00:02Z", NOW)).isEqualTo("0s ago");
        assertThat(JobCommands.Nodes.age("not a time", NOW)).isEqualTo("unknown");
    }
}
