package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every store must do with uploads and the jobs that use them; one subclass per store. */
@Timeout(60)
public abstract class UploadStoreContract {
    protected JobStore store;
    private UploadStore uploads;
    private final Instant t0 = Instant.parse("2026-12-06T10:00:00.000Z");

    protected abstract JobStore open() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
        uploads = store.uploads();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Upload add(String owner, Instant at) {
        Upload u = new Upload(UUID.randomUUID().toString(), "data.bin", 42, "ab".repeat(32), "application/octet-stream", at, owner);
        uploads.add(u, at.plusSeconds(3600));
        return u;
    }

    private Job insertUsing(String owner, Upload... used) throws Exception {
        Job j = Job.queued(UUID.randomUUID().toString(), "digest", Json.MAPPER.readTree("{}"), owner, t0);
        Insert done = store.insert(j, new Admission(null, null, java.util.Arrays.stream(used).map(Upload::id).toList()));
        return ((Insert.Inserted) done).job();
    }

    private Job finish(Job queued) {
        Job running = store.update(Transitions.claim(queued, "n1", t0), queued.version()).orElseThrow();
        return store.update(Transitions.finish(running, null, null, null, t0.plusSeconds(1)), running.version()).orElseThrow();
    }

    @Test
    void anUploadIsStoredAndListedNewestFirstPerOwner() {
        Upload a = add("alice", t0);
        Upload b = add("bob", t0.plusSeconds(1));
        Upload c = add("alice", t0.plusSeconds(2));
        assertThat(uploads.find(a.id())).contains(a);
        assertThat(uploads.find("missing")).isEmpty();
        assertThat(uploads.list("alice", 10)).containsExactly(c, a);
        assertThat(uploads.list(null, 10)).containsExactly(c, b, a);
        assertThat(uploads.list(null, 1)).containsExactly(c);
    }

    @Test
    void anUploadUsedByAQueuedOrRunningJobCannotBeRemovedUntilTheJobEnds() throws Exception {
        Upload u = add(null, t0);
        Job job = insertUsing(null, u);
        assertThat(uploads.remove(u.id())).isEqualTo(UploadStore.Removal.IN_USE);
        finish(job);
        assertThat(uploads.remove(u.id())).isEqualTo(UploadStore.Removal.REMOVED);
        assertThat(uploads.find(u.id())).isEmpty();
        assertThat(uploads.remove(u.id())).isEqualTo(UploadStore.Removal.MISSING);
    }

    @Test
    void aJobUsingAnUploadThatIsGoneIsNotStored() throws Exception {
        Upload u = add(null, t0);
        uploads.remove(u.id());
        Job j = Job.queued(UUID.randomUUID().toString(), "digest", Json.MAPPER.readTree("{}"), null, t0);
        assertThat(store.insert(j, new Admission(null, null, List.of(u.id())))).isEqualTo(new Insert.UploadMissing(u.id()));
        assertThat(store.get(j.id())).isEmpty();
    }

    @Test
    void anUnusedUploadExpiresAtItsTimeAndAUsedOneOnlyWithTheLastJobThatUsedIt() throws Exception {
        Upload unused = add(null, t0);
        Upload shared = add(null, t0);
        Job first = finish(insertUsing(null, shared));
        Job second = finish(insertUsing(null, shared));
        Instant later = t0.plusSeconds(7200);
        assertThat(uploads.expire(later, 100)).containsExactly(unused);
        assertThat(uploads.find(unused.id())).isEmpty();
        assertThat(store.delete(first.id(), later)).isEqualTo(JobStore.Deletion.DELETED);
        assertThat(uploads.expire(later, 100)).as("the second job still uses it").isEmpty();
        assertThat(store.deleteFinishedBefore(later, later, 100)).containsExactly(second.id());
        assertThat(uploads.expire(later, 100)).containsExactly(shared);
        assertThat(uploads.find(shared.id())).isEmpty();
    }
}
