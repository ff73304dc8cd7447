package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jobline.job.Job;
import dev.jobline.job.JobType;
import dev.jobline.job.Transitions;
import dev.jobline.job.JobError;
import dev.jobline.job.JobState;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobFilterTest {
    private final Instant t = Instant.parse("2026-11-22T10:00:00Z");
    private final Job queued = Job.queued("j", "sleep", JsonNodeFactory.instance.objectNode(), null, t);
    private final Job running = Transitions.claim(queued, "n", t);
    private final Job done = Transitions.finish(running, null, null, null, t);
    private final Job cancelledBeforeStart = Transitions.cancel(queued, t);
    private final Job requeued = Transitions.takeover(running, JobType.of("sleep", "", null, (c, p) -> null), 3, "test", t);

    private static JobFilter states(JobState... s) {
        return new JobFilter(Set.of(s), null, null);
    }

    @Test
    void aJobLeavesAStateFilterOnlyIfItCouldHaveBeenInIt() {
        assertThat(states(JobState.RUNNING).mayHaveLeft(done)).isTrue();
        assertThat(states(JobState.RUNNING).mayHaveLeft(cancelledBeforeStart)).isFalse();
        assertThat(states(JobState.RUNNING).mayHaveLeft(queued)).isFalse();
        assertThat(states(JobState.RUNNING).mayHaveLeft(requeued)).isTrue();
        assertThat(states(JobState.QUEUED).mayHaveLeft(running)).isTrue();
        assertThat(states(JobState.QUEUED).mayHaveLeft(done)).isTrue();
        assertThat(states(JobState.SUCCEEDED).mayHaveLeft(running)).isFalse();
        assertThat(states(JobState.SUCCEEDED).mayHaveLeft(done)).isFalse();
        assertThat(JobFilter.ALL.mayHaveLeft(done)).isFalse();
        assertThat(new JobFilter(Set.of(JobState.RUNNING), "other", null).mayHaveLeft(done)).isFalse();
    }
}
