package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.Progress;
import dev.jobline.job.Transitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compare-and-set under contention: writes that arrive together share a transaction (and, on the
 * JDBC stores, one batch of updates), yet each still wins or loses on its own.
 */
public abstract class JobStoreRaceContract extends JobStoreLogContract {

    @Test
    @Timeout(60)
    void ofManyUpdatesOfOneVersionSentAtOnceExactlyOneWinsAndTheOthersOfOtherJobsAllWin() throws Exception {
        for (int round = 0; round < 5; round++) {
            Job contested = run(insert(newJob("sleep")), "n1");
            List<Job> others = new ArrayList<>();
            for (int i = 0; i < 8; i++) others.add(run(insert(newJob("sleep")), "n1"));
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Optional<Job>>> onContested = new ArrayList<>();
            List<CompletableFuture<Optional<Job>>> onOthers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Progress p = new Progress(i, null, null, "writer " + i);
                onContested.add(CompletableFuture.supplyAsync(() -> after(go, () ->
                        store.update(Transitions.progress(contested, p, t0.plusSeconds(1)), contested.version()))));
                Job other = others.get(i);
                onOthers.add(CompletableFuture.supplyAsync(() -> after(go, () ->
                        store.update(Transitions.progress(other, p, t0.plusSeconds(1)), other.version()))));
            }
            go.countDown();
            List<Job> won = new ArrayList<>();
            for (CompletableFuture<Optional<Job>> f : onContested) f.get(30, TimeUnit.SECONDS).ifPresent(won::add);
            assertThat(won).as("round " + round + ": writers of one version that won").hasSize(1);
            assertThat(store.get(contested.id()).orElseThrow().progress()).isEqualTo(won.getFirst().progress());
            for (CompletableFuture<Optional<Job>> f : onOthers) assertThat(f.get(30, TimeUnit.SECONDS)).isPresent();
        }
    }

    private static <T> T after(CountDownLatch go, java.util.function.Supplier<T> write) {
        try {
            if (!go.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return write.get();
    }
}
