package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.JobState;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** ActiveJobs tells its listeners of each newer version once, with the one it replaces and where it came from. */
class ActiveJobsMovesTest {
    private record Move(Long before, long after, JobState state, boolean local) {}

    @Test
    void eachNewerVersionIsToldOnceWithTheVersionItReplaces() {
        ActiveJobs active = new ActiveJobs(Clock.systemUTC());
        List<Move> moves = new CopyOnWriteArrayList<>();
        active.listen((before, after, local) -> moves.add(new Move(before == null ? null : before.version(), after.version(), after.state(), local)));
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        Job v1 = Job.queued("j1", "sleep", Json.MAPPER.createObjectNode(), null, now);
        Job v2 = Transitions.claim(v1, "n1", now);
        Job v3 = Transitions.finish(v2, null, null, new JobError("boom", "error"), now);

        active.offer(v1);
        active.offer(v1);
        active.committed(new FeedListener.Batch(List.of(v2), List.of(), 2));
        active.offer(v1); // a late copy of an older version
        active.offer(v3);
        active.committed(new FeedListener.Batch(List.of(v3), List.of(), 3));

        assertThat(moves).containsExactly(
                new Move(null, 1, JobState.QUEUED, true),
                new Move(1L, 2, JobState.RUNNING, false),
                new Move(2L, 3, JobState.FAILED, true));
        assertThat(active.get("j1")).isEmpty();
    }

    @Test
    void aListenerThatThrowsNeitherStopsTheViewNorTheOtherListeners() {
        ActiveJobs active = new ActiveJobs(Clock.systemUTC());
        List<Long> heard = new CopyOnWriteArrayList<>();
        active.listen((before, after, local) -> {
            throw new IllegalStateException("a broken listener");
        });
        active.listen((before, after, local) -> heard.add(after.version()));
        Job v1 = Job.queued("j1", "sleep", Json.MAPPER.createObjectNode(), null, Instant.parse("2026-12-06T10:00:00Z"));

        active.committed(new FeedListener.Batch(List.of(v1), List.of(), 1));

        assertThat(heard).containsExactly(1L);
        assertThat(active.get("j1")).contains(v1);
        assertThat(active.queued()).isEqualTo(1);
    }

    @Test
    void aFeedListenerThatThrowsDoesNotKeepTheBatchFromTheOthers() {
        List<Long> heard = new CopyOnWriteArrayList<>();
        FeedListener broken = b -> {
            throw new IllegalStateException("a broken listener");
        };
        FeedListener.tellAll(List.of(broken, b -> heard.add(b.position()), broken, b -> heard.add(-b.position())),
                new FeedListener.Batch(List.of(), List.of(), 7));

        assertThat(heard).containsExactly(7L, -7L);
    }
}
