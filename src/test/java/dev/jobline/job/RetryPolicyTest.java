package dev.jobline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobline.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T10:00:00Z"));

    @Test
    void theBackoffCeilingDoublesPerAttemptUpToTheMaximum() {
        Duration base = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(10);
        assertThat(Backoff.ceiling(base, max, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.ceiling(base, max, 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Backoff.ceiling(base, max, 3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.ceiling(base, max, 4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(Backoff.ceiling(base, max, 5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(Backoff.ceiling(base, max, 100)).as("no overflow far out").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCeiling() {
        Duration base = Duration.ofMillis(100);
        Duration max = Duration.ofMinutes(10);
        for (int attempt = 1; attempt <= 30; attempt++) {
            Duration ceiling = Backoff.ceiling(base, max, attempt);
            assertThat(Backoff.fullJitter(base, max, attempt, 0.0)).isEqualTo(Duration.ZERO);
            assertThat(Backoff.fullJitter(base, max, attempt, 0.999_999_999)).isEqualTo(ceiling);
            for (double u = 0; u < 1; u += 0.01) {
                assertThat(Backoff.fullJitter(base, max, attempt, u)).isBetween(Duration.ZERO, ceiling);
            }
        }
        assertThat(Backoff.fullJitter(Duration.ofSeconds(1), max, 3, 0.5)).isEqualTo(Duration.ofMillis(2000));
    }

    @Test
    void theWireFormIsReadWithDefaultsAndEachBadValueNamesItsField() throws Exception {
        RetryPolicy p = RetryPolicy.parse(Json.MAPPER.readTree("{\"maxAttempts\": 5, \"backoff\": \"2s\"}"));
        assertThat(p).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofMinutes(10)));
        assertThat(Json.MAPPER.writeValueAsString(p)).isEqualTo("{\"maxAttempts\":5,\"backoff\":\"2s\",\"maxBackoff\":\"10m\"}");
        assertThat(RetryPolicy.parse(Json.MAPPER.readTree("{}")).maxAttempts()).isEqualTo(3);
        assertThatThrownBy(() -> RetryPolicy.parse(Json.MAPPER.readTree("{\"maxAttempts\": 0}"))).hasMessageStartingWith("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.parse(Json.MAPPER.readTree("{\"maxAttempts\": 2.5}"))).hasMessageStartingWith("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.parse(Json.MAPPER.readTree("{\"backoff\": \"soon\"}"))).hasMessageStartingWith("backoff");
        assertThatThrownBy(() -> RetryPolicy.parse(Json.MAPPER.readTree("{\"backoff\": 5}"))).hasMessageStartingWith("backoff");
        assertThatThrownBy(() -> RetryPolicy.parse(Json.MAPPER.readTree("{\"backoff\": \"1m\", \"maxBackoff\": \"1s\"}")))
                .hasMessageStartingWith("maxBackoff");
        assertThatThrownBy(() -> RetryPolicy.parse(Json.MAPPER.readTree("{\"tries\": 2}"))).hasMessageContaining("'tries'");
        assertThatThrownBy(() -> RetryPolicy.parse(Json.MAPPER.readTree("3"))).hasMessageContaining("object");
    }

    private Job running(RetryPolicy retry) throws Exception {
        Job q = Job.queued(UUID.randomUUID().toString(), "t", Json.MAPPER.readTree("{}"), null, clock.instant()).with(b -> b.retry(retry));
        return Transitions.claim(q, "n", clock.instant());
    }

    @Test
    void aFailedAttemptWithAttemptsLeftIsQueuedAgainAtItsBackoffWithItsErrorKept() throws Exception {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(1));
        Job first = running(policy);
        JobError boom = new JobError("boom", "IOException");
        Job waiting = Transitions.finishOrRetry(first, null, null, boom, clock.instant(), 0.5);
        assertThat(waiting.state()).isEqualTo(JobState.QUEUED);
        assertThat(waiting.runAt()).isEqualTo(clock.instant().plusMillis(500));
        assertThat(waiting.error()).isNull();
        assertThat(waiting.errors()).containsExactly(new AttemptError(1, boom, clock.instant()));
        assertThat(waiting.dueBy(clock.instant())).isFalse();
        clock.advance(Duration.ofMillis(500));
        assertThat(waiting.dueBy(clock.instant())).isTrue();

        Job second = Transitions.claim(waiting, "n", clock.instant());
        assertThat(second.attempt()).isEqualTo(2);
        Job again = Transitions.finishOrRetry(second, null, null, boom, clock.instant(), 0.999_999_999);
        assertThat(again.runAt()).as("the second wait's ceiling is twice the first's").isEqualTo(clock.instant().plusMillis(2000));
        Job third = Transitions.claim(again, "n", clock.instant().plusSeconds(2));
        Job failed = Transitions.finishOrRetry(third, null, null, boom, clock.instant().plusSeconds(2), 0.5);
        assertThat(failed.state()).as("no attempts left").isEqualTo(JobState.FAILED);
        assertThat(failed.error()).isEqualTo(boom);
        assertThat(failed.errors()).extracting(AttemptError::attempt).containsExactly(1, 2);
    }

    @Test
    void successACancelOrNoPolicyEndTheJobAsBefore() throws Exception {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(1));
        JobError boom = new JobError("boom", "x");
        assertThat(Transitions.finishOrRetry(running(policy), null, null, null, clock.instant(), 0.5).state()).isEqualTo(JobState.SUCCEEDED);
        Job cancelled = Transitions.cancel(running(policy), clock.instant());
        assertThat(Transitions.finishOrRetry(cancelled, null, null, boom, clock.instant(), 0.5).state()).isEqualTo(JobState.CANCELLED);
        assertThat(Transitions.finishOrRetry(running(null), null, null, boom, clock.instant(), 0.5).state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void aTakeoverCountsAgainstTheRetryBudgetAndKeepsItsError() throws Exception {
        JobType type = JobType.of("t", "", null, (ctx, params) -> null);
        Job one = running(new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofMinutes(1)));
        Job back = Transitions.takeover(one, type, 3, "its node died", clock.instant());
        assertThat(back.state()).isEqualTo(JobState.QUEUED);
        assertThat(back.errors()).extracting(e -> e.error().type()).containsExactly("interrupted");
        Job two = Transitions.claim(back, "m", clock.instant());
        assertThat(Transitions.takeover(two, type, 3, "its node died", clock.instant()).state())
                .as("retry.maxAttempts 2 is the budget, not the server's 3").isEqualTo(JobState.FAILED);
        Job plain = running(null);
        assertThat(Transitions.attemptBudget(plain, 3)).isEqualTo(3);
    }
}
