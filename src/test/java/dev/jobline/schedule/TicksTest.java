package dev.jobline.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When schedules run: cron in a time zone across daylight-saving changes, @every, @hourly and @daily. */
class TicksTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static List<Instant> ticks(Ticks t, String from, int n) {
        List<Instant> out = new ArrayList<>();
        Instant at = Instant.parse(from);
        for (int i = 0; i < n; i++) {
            at = t.next(at);
            out.add(at);
        }
        return out;
    }

    private static Instant i(String s) {
        return Instant.parse(s);
    }

    @Test
    void aDailyCronRunsAtItsLocalTimeOnBothSidesOfTheSpringForwardAndFallBackChanges() {
        Ticks three = Ticks.parse("0 3 * * *", BERLIN);
        // 2026-03-29: 02:00 CET becomes 03:00 CEST; 03:00 local is 02:00Z before and 01:00Z from that day on
        assertThat(ticks(three, "2026-03-27T12:00:00Z", 3))
                .containsExactly(i("2026-03-28T02:00:00Z"), i("2026-03-29T01:00:00Z"), i("2026-03-30T01:00:00Z"));
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; 03:00 local happens once, at 02:00Z
        assertThat(ticks(three, "2026-10-23T12:00:00Z", 3))
                .containsExactly(i("2026-10-24T01:00:00Z"), i("2026-10-25T02:00:00Z"), i("2026-10-26T02:00:00Z"));
    }

    @Test
    void aLocalTimeTheChangeSkipsDoesNotOccurThatDayAndOneItRepeatsRunsOnce() {
        Ticks halfPastTwo = Ticks.parse("30 2 * * *", BERLIN);
        assertThat(ticks(halfPastTwo, "2026-03-28T12:00:00Z", 2)).as("02:30 does not exist on 2026-03-29")
                .containsExactly(i("2026-03-30T00:30:00Z"), i("2026-03-31T00:30:00Z"));
        assertThat(ticks(halfPastTwo, "2026-10-24T12:00:00Z", 2)).as("02:30 happens twice on 2026-10-25: the first counts")
                .containsExactly(i("2026-10-25T00:30:00Z"), i("2026-10-26T01:30:00Z"));
        // asked from inside the repeated hour, or after it, the answers agree with the sequence above
        assertThat(halfPastTwo.next(i("2026-10-25T00:45:00Z"))).as("02:45 CEST").isEqualTo(i("2026-10-26T01:30:00Z"));
        assertThat(halfPastTwo.next(i("2026-10-25T01:15:00Z"))).as("02:15 CET").isEqualTo(i("2026-10-26T01:30:00Z"));
        assertThat(halfPastTwo.latest(i("2026-10-25T01:45:00Z"))).as("02:45 CET").isEqualTo(i("2026-10-25T00:30:00Z"));
        assertThat(halfPastTwo.latest(i("2026-10-25T05:00:00Z"))).isEqualTo(i("2026-10-25T00:30:00Z"));
        assertThat(halfPastTwo.latest(i("2026-03-29T05:00:00Z"))).as("no 02:30 that day").isEqualTo(i("2026-03-28T01:30:00Z"));
        Ticks everyQuarterAtTwo = Ticks.parse("*/15 2 * * *", BERLIN);
        assertThat(ticks(everyQuarterAtTwo, "2026-10-25T00:50:00Z", 2)).as("a fixed hour: its first pass only")
                .containsExactly(i("2026-10-26T01:00:00Z"), i("2026-10-26T01:15:00Z"));
    }

    @Test
    void hourlyGoesByTheWallClockThroughBothChanges() {
        Ticks hourly = Ticks.parse("@hourly", BERLIN);
        assertThat(ticks(hourly, "2026-03-28T23:30:00Z", 2)).as("01:00 CET, then 03:00 CEST")
                .containsExactly(i("2026-03-29T00:00:00Z"), i("2026-03-29T01:00:00Z"));
        assertThat(ticks(hourly, "2026-10-24T23:30:00Z", 3)).as("02:00 CEST and 02:00 CET both run")
                .containsExactly(i("2026-10-25T00:00:00Z"), i("2026-10-25T01:00:00Z"), i("2026-10-25T02:00:00Z"));
        assertThat(hourly.latest(i("2026-10-25T01:30:00Z"))).isEqualTo(i("2026-10-25T01:00:00Z"));
        assertThat(Ticks.parse("*/30 * * * *", BERLIN).next(i("2026-10-25T01:00:00Z"))).as("02:30 CET, the second pass")
                .isEqualTo(i("2026-10-25T01:30:00Z"));
    }

    @Test
    void dailyIsMidnightInTheZoneAndUtcByDefault() {
        assertThat(Ticks.parse("@daily", BERLIN).next(i("2026-07-01T12:00:00Z"))).isEqualTo(i("2026-07-01T22:00:00Z"));
        assertThat(Ticks.parse("@daily", ZoneOffset.UTC).next(i("2026-07-01T12:00:00Z"))).isEqualTo(i("2026-07-02T00:00:00Z"));
        assertThat(Ticks.parse("@daily", BERLIN).latest(i("2026-07-01T22:00:00Z"))).as("a tick exactly now counts")
                .isEqualTo(i("2026-07-01T22:00:00Z"));
        assertThat(Ticks.parse("@daily", BERLIN).latest(i("2026-07-01T21:59:59Z"))).isEqualTo(i("2026-06-30T22:00:00Z"));
    }

    @Test
    void everyRunsAtWholeMultiplesSinceTheEpochSoEveryNodeComputesTheSameTicks() {
        Ticks every = Ticks.parse("@every 2s", ZoneOffset.UTC);
        assertThat(ticks(every, "2026-12-06T10:00:00.500Z", 3))
                .containsExactly(i("2026-12-06T10:00:02Z"), i("2026-12-06T10:00:04Z"), i("2026-12-06T10:00:06Z"));
        assertThat(every.next(i("2026-12-06T10:00:02Z"))).as("strictly after").isEqualTo(i("2026-12-06T10:00:04Z"));
        assertThat(every.latest(i("2026-12-06T10:00:03.999Z"))).isEqualTo(i("2026-12-06T10:00:02Z"));
        assertThat(every.latest(i("2026-12-06T10:00:04Z"))).isEqualTo(i("2026-12-06T10:00:04Z"));
        assertThat(Ticks.parse("@every 30s", BERLIN).next(i("2026-12-06T10:00:10Z"))).isEqualTo(i("2026-12-06T10:00:30Z"));
    }

    @Test
    void aCronThatDoesNotHoldIsRefusedSayingWhy() {
        assertThatThrownBy(() -> Ticks.parse("0 3 * *", BERLIN)).hasMessageContaining("must be five fields");
        assertThatThrownBy(() -> Ticks.parse("0 0 3 * * *", BERLIN)).hasMessageContaining("must be five fields");
        assertThatThrownBy(() -> Ticks.parse("61 3 * * *", BERLIN)).hasMessageContaining("61");
        assertThatThrownBy(() -> Ticks.parse("@weekly", BERLIN)).hasMessageContaining("not one of @every D, @hourly, @daily");
        assertThatThrownBy(() -> Ticks.parse("@every soon", BERLIN)).hasMessageContaining("@every must be a duration like");
        assertThatThrownBy(() -> Ticks.parse("@every 500ms", BERLIN)).hasMessageContaining("at least 1s");
        assertThat(Ticks.parse("0 9 * * MON-FRI", BERLIN).next(i("2026-12-05T12:00:00Z"))).as("Saturday, so Monday")
                .isEqualTo(i("2026-12-07T08:00:00Z"));
    }
}
