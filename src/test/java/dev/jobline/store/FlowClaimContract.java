package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.AttemptError;
import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.RetryPolicy;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What every JobStore must do with due times, priorities and queue limits; run for every store as a part of {@link JobStoreContract}. */
abstract class FlowClaimContract {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.000Z");
    private static final List<String> SLEEP = List.of("sleep");

    abstract JobStore store();

    private Job insert(UnaryOperator<Job.Builder> edit) throws Exception {
        Job q = Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.readTree("{}"), null, T0).with(edit);
        return ((Insert.Inserted) store().insert(q, Admission.NONE)).job();
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    @Test
    void everyFieldOfHowAJobRunsIsStoredAndReadBack() throws Exception {
        com.fasterxml.jackson.databind.JsonNode saved = Json.MAPPER.readTree("{\"page\": 12}");
        Job in = insert(b -> b.runAt(T0.plusSeconds(90)).priority(7).queue("emails").timeout(Duration.ofMinutes(5))
                .retry(new RetryPolicy(4, Duration.ofSeconds(2), Duration.ofMinutes(1)))
                .errors(List.of(new AttemptError(1, new JobError("boom", "IOException"), T0.plusMillis(5))))
                .checkpoint(saved));
        Job read = store().get(in.id()).orElseThrow();
        assertThat(read.runAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(read.priority()).isEqualTo(7);
        assertThat(read.queue()).isEqualTo("emails");
        assertThat(read.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(read.retry()).isEqualTo(new RetryPolicy(4, Duration.ofSeconds(2), Duration.ofMinutes(1)));
        assertThat(read.errors()).containsExactly(new AttemptError(1, new JobError("boom", "IOException"), T0.plusMillis(5)));
        assertThat(read.checkpoint()).isEqualTo(Json.MAPPER.readTree("{\"page\": 12}"));
        Job plain = insert(b -> b);
        Job plainRead = store().get(plain.id()).orElseThrow();
        assertThat(plainRead.runAt()).isNull();
        assertThat(plainRead.priority()).isNull();
        assertThat(plainRead.retry()).isNull();
        assertThat(plainRead.errors()).isNull();
    }

    @Test
    void higherPriorityIsClaimedFirstAndFirstInFirstOutWithinAPriority() throws Exception {
        Job a = insert(b -> b);
        Job b5 = insert(b -> b.priority(5));
        Job c5 = insert(b -> b.priority(5));
        Job low = insert(b -> b.priority(-1));
        Job d = insert(b -> b);
        assertThat(ids(store().claim("n", SLEEP, 2, T0))).containsExactly(b5.id(), c5.id());
        assertThat(ids(store().claim("n", SLEEP, 10, T0))).containsExactly(a.id(), d.id(), low.id());
    }

    @Test
    void aDelayedJobIsClaimedOnlyOnceDueAndTheNextDueTimeIsKnown() throws Exception {
        Job later = insert(b -> b.runAt(T0.plusSeconds(60)));
        Job sooner = insert(b -> b.runAt(T0.plusSeconds(30)).priority(-5));
        Job now = insert(b -> b.runAt(T0.minusSeconds(1)));
        assertThat(store().nextDue(T0)).contains(T0.plusSeconds(30));
        assertThat(ids(store().claim("n", SLEEP, 10, T0))).containsExactly(now.id());
        assertThat(store().claim("n", SLEEP, 10, T0.plusSeconds(29))).isEmpty();
        assertThat(ids(store().claim("n", SLEEP, 10, T0.plusSeconds(30)))).containsExactly(sooner.id());
        assertThat(store().nextDue(T0.plusSeconds(30))).contains(T0.plusSeconds(60));
        Job ready = insert(b -> b.priority(-10));
        assertThat(ids(store().claim("n", SLEEP, 10, T0.plusSeconds(60))))
                .as("a due job and a ready one are ordered together by priority").containsExactly(later.id(), ready.id());
        assertThat(store().nextDue(T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void aDeclaredQueueNeverRunsMoreThanItsLimitAndAnUndeclaredOneIsNotClaimed() throws Exception {
        Map<String, Integer> queues = Map.of("q", 2);
        List<Job> inQ = new ArrayList<>();
        for (int i = 0; i < 3; i++) inQ.add(insert(b -> b.queue("q")));
        Job plain = insert(b -> b);
        Job other = insert(b -> b.queue("elsewhere"));
        List<Job> first = store().claim("n", SLEEP, queues, 10, T0);
        assertThat(ids(first)).containsExactlyInAnyOrder(inQ.get(0).id(), inQ.get(1).id(), plain.id());
        assertThat(store().claim("m", SLEEP, queues, 10, T0)).as("the limit counts jobs running on every node").isEmpty();
        Job running = first.stream().filter(j -> j.id().equals(inQ.get(0).id())).findFirst().orElseThrow();
        store().update(Transitions.finish(running, null, null, null, T0), running.version()).orElseThrow();
        assertThat(ids(store().claim("m", SLEEP, queues, 10, T0))).containsExactly(inQ.get(2).id());
        assertThat(store().get(other.id()).orElseThrow().state().wireName()).isEqualTo("queued");
    }

    @Test
    void claimsAtOnceTogetherStayWithinTheQueueLimit() throws Exception {
        Map<String, Integer> queues = Map.of("q", 3);
        for (int i = 0; i < 20; i++) insert(b -> b.queue("q"));
        List<CompletableFuture<List<Job>>> claims = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String node = "n" + i;
            claims.add(CompletableFuture.supplyAsync(() -> store().claim(node, SLEEP, queues, 5, T0)));
        }
        int claimed = 0;
        for (CompletableFuture<List<Job>> c : claims) claimed += c.join().size();
        assertThat(claimed).isEqualTo(3);
    }
}
