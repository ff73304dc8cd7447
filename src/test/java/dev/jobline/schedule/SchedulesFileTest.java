package dev.jobline.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobline.job.JobType;
import dev.jobline.types.DigestJob;
import dev.jobline.types.SleepJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schedules file is checked at start; each refusal names the schedule and the field. */
class SchedulesFileTest {
    private static final Map<String, JobType> TYPES = Map.of("sleep", SleepJob.type(), "digest", DigestJob.type());

    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        Path file = dir.resolve("schedules.json");
        Files.writeString(file, json);
        return file;
    }

    private List<Schedule> read(String json) throws Exception {
        return SchedulesFile.read(file(json), TYPES);
    }

    @Test
    void theContractsExampleIsReadWithDefaultsFilledIn() throws Exception {
        List<Schedule> s = read("""
                {"schedules": [
                  {"name": "nightly", "cron": "0 3 * * *", "timezone": "Europe/Berlin", "type": "sleep",
                   "params": {"seconds": 2}, "overlap": "allow"},
                  {"name": "tick", "cron": "@every 30s", "type": "sleep"}]}
                """);
        assertThat(s).hasSize(2);
        Schedule nightly = s.getFirst();
        assertThat(nightly.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(nightly.allowOverlap()).isTrue();
        assertThat(nightly.params().get("seconds").asInt()).isEqualTo(2);
        Schedule tick = s.get(1);
        assertThat(tick.zone()).as("UTC unless given").isEqualTo(ZoneId.of("UTC"));
        assertThat(tick.overlap()).as("the default").isEqualTo("skip");
        assertThat(tick.params().has("steps")).as("the type's defaults are filled in").isTrue();
        assertThat(tick.ticks()).isInstanceOf(Ticks.Every.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"schedules": [{"name": "a", "cron": "0 3 * *", "type": "sleep"}]}                                 | schedules[0] (a): cron '0 3 * *' must be five fields
            {"schedules": [{"name": "a", "cron": "0 25 * * *", "type": "sleep"}]}                              | schedules[0] (a): cron '0 25 * * *' must be five fields
            {"schedules": [{"name": "a", "cron": "@weekly", "type": "sleep"}]}                                 | schedules[0] (a): cron '@weekly' is not one of @every D, @hourly, @daily
            {"schedules": [{"name": "a", "cron": "0 0 31 2 *", "type": "sleep"}]}                              | schedules[0] (a): cron '0 0 31 2 *' never comes
            {"schedules": [{"name": "a", "type": "sleep"}]}                                                     | schedules[0] (a): cron is required
            {"schedules": [{"name": "a", "cron": "@daily", "timezone": "Mars/Olympus", "type": "sleep"}]}      | schedules[0] (a): timezone 'Mars/Olympus' is not a known time zone
            {"schedules": [{"name": "a", "cron": "@daily", "type": "backup"}]}                                 | schedules[0] (a): type 'backup' is not a job type of this server; known: digest, sleep
            {"schedules": [{"name": "a", "cron": "@daily", "type": "sleep", "params": {"seconds": -1}}]}       | schedules[0] (a): params.seconds
            {"schedules": [{"name": "a", "cron": "@daily", "type": "sleep", "params": [1]}]}                   | schedules[0] (a): params must be a JSON object
            {"schedules": [{"name": "a", "cron": "@daily", "type": "sleep", "overlap": "queue"}]}              | schedules[0] (a): overlap must be "skip" or "allow"
            {"schedules": [{"name": "a", "cron": "@daily", "type": "sleep", "every": 1}]}                      | schedules[0] (a): every is not a field of a schedule
            {"schedules": [{"name": "a", "cron": "@daily", "type": "sleep"}, {"name": "a", "cron": "@daily", "type": "sleep"}]} | schedules[1] (a): name a is declared twice
            {"schedules": [{"cron": "@daily", "type": "sleep"}]}                                                | schedules[0]: name must be 1 to 64 letters
            {"schedules": [{"name": "a", "cron": 5, "type": "sleep"}]}                                         | schedules[0] (a): cron must be a string
            {"schedules": {}}                                                                                  | must be a JSON object with an array "schedules"
            {"schedules": [], "more": 1}                                                                       | unknown field 'more'
            """)
    void aScheduleThatDoesNotHoldIsRefusedNamingTheScheduleAndTheField(String json, String message) throws Exception {
        Path file = file(json);
        assertThatThrownBy(() -> SchedulesFile.read(file, TYPES)).isInstanceOf(SchedulesFile.Invalid.class)
                .hasMessageStartingWith("schedules file " + file + ": ").hasMessageContaining(message);
    }

    @Test
    void aFileThatIsNotJsonOrMissingIsRefused() throws Exception {
        assertThatThrownBy(() -> read("{\"schedules\": [")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> SchedulesFile.read(dir.resolve("none.json"), TYPES)).hasMessageContaining("none.json: cannot be read");
    }
}
