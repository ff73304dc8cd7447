package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Callback;
import dev.jobline.job.Job;
import dev.jobline.job.JobError;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What every JobStore must do with callback deliveries; run for every store as a part of {@link JobStoreContract}. */
abstract class DeliveryContract {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.000Z");
    private static final String URL = "http://127.0.0.1:9/hook";

    abstract JobStore store();

    private Job ended(boolean withCallback, boolean fail) throws Exception {
        Job q = Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.readTree("{}"), null, T0);
        if (withCallback) q = q.with(b -> b.callback(new Callback(URL)));
        Job in = ((Insert.Inserted) store().insert(q, Admission.NONE)).job();
        Job running = store().update(Transitions.claim(in, "a", T0), in.version()).orElseThrow();
        Job done = Transitions.finish(running, null, Json.MAPPER.readTree("{}"), fail ? new JobError("no", "error") : null, T0);
        return store().update(done, running.version()).orElseThrow();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static DeliveryAttempt attempt(Delivery d, int n, int second, Integer status, Delivery.State state) {
        return new DeliveryAttempt(d.id(), n, at(second), status, status == null || status >= 300 ? "HTTP " + status : null, state);
    }

    @Test
    void theWriteThatEndsAJobWithACallbackCreatesOnePendingDelivery() throws Exception {
        Job j = ended(true, true);
        Job plain = ended(false, false);
        assertThat(store().get(j.id()).orElseThrow().callback()).isEqualTo(new Callback(URL));
        assertThat(store().get(plain.id()).orElseThrow().callback()).isNull();
        assertThat(store().deliveries(plain.id())).isEmpty();
        List<DeliveryAttempt> history = store().deliveries(j.id());
        assertThat(history).singleElement().satisfies(a -> {
            assertThat(a.attempt()).isZero();
            assertThat(a.state()).isEqualTo(Delivery.State.PENDING);
            assertThat(a.status()).isNull();
        });
        DeliveryClaim c = store().claimDeliveries("n1", at(1), at(31), 10);
        assertThat(c.claimed()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(history.get(0).delivery());
            assertThat(d.jobId()).isEqualTo(j.id());
            assertThat(d.url()).isEqualTo(URL);
            assertThat(d.event()).isEqualTo("job.failed");
            assertThat(d.attempts()).isZero();
        });
    }

    @Test
    void aLeasedDeliveryIsNotClaimedAgainBeforeItsLeaseRunsOut() throws Exception {
        ended(true, false);
        assertThat(store().claimDeliveries("n1", at(1), at(31), 10).claimed()).hasSize(1);
        DeliveryClaim again = store().claimDeliveries("n1", at(2), at(32), 10);
        assertThat(again.claimed()).isEmpty();
        assertThat(again.nextDue()).isEqualTo(at(31));
        if (!store().exclusive()) assertThat(store().claimDeliveries("n2", at(3), at(33), 10).claimed()).isEmpty();
        assertThat(store().claimDeliveries("n2", at(31), at(61), 10).claimed()).hasSize(1);
    }

    @Test
    void attemptsAreRecordedInOrderUnderOneDeliveryIdUntilDelivered() throws Exception {
        Job j = ended(true, false);
        Delivery d = store().claimDeliveries("n1", at(1), at(31), 10).claimed().get(0);
        assertThat(store().recordAttempt(d, "n1", attempt(d, 1, 1, 500, Delivery.State.PENDING), at(3))).isTrue();
        DeliveryClaim early = store().claimDeliveries("n1", at(2), at(32), 10);
        assertThat(early.claimed()).isEmpty();
        assertThat(early.nextDue()).isEqualTo(at(3));
        Delivery d2 = store().claimDeliveries("n1", at(3), at(33), 10).claimed().get(0);
        assertThat(d2.id()).isEqualTo(d.id());
        assertThat(d2.attempts()).isEqualTo(1);
        assertThat(store().recordAttempt(d2, "n1", attempt(d2, 2, 3, 200, Delivery.State.DELIVERED), null)).isTrue();
        DeliveryClaim after = store().claimDeliveries("n1", at(100), at(130), 10);
        assertThat(after.claimed()).isEmpty();
        assertThat(after.nextDue()).isNull();
        assertThat(store().deliveries(j.id())).extracting(DeliveryAttempt::delivery, DeliveryAttempt::attempt, DeliveryAttempt::status,
                DeliveryAttempt::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(d.id(), 1, 500, Delivery.State.PENDING),
                org.assertj.core.groups.Tuple.tuple(d.id(), 2, 200, Delivery.State.DELIVERED));
        assertThat(store().deliveries(j.id()).get(0).at()).isEqualTo(at(1));
        assertThat(store().deliveries(j.id()).get(0).error()).isEqualTo("HTTP 500");
    }

    @Test
    void aNodeThatNoLongerHoldsADeliveryCannotRecordAnAttempt() throws Exception {
        ended(true, false);
        Delivery d = store().claimDeliveries("n1", at(1), at(31), 10).claimed().get(0);
        assertThat(store().recordAttempt(d, "n2", attempt(d, 1, 1, null, Delivery.State.PENDING), at(2))).isFalse();
        assertThat(store().recordAttempt(d, "n1", attempt(d, 2, 1, null, Delivery.State.PENDING), at(2))).isFalse();
        assertThat(store().recordAttempt(d, "n1", attempt(d, 1, 1, null, Delivery.State.FAILED), null)).isTrue();
        assertThat(store().recordAttempt(d, "n1", attempt(d, 1, 1, null, Delivery.State.FAILED), null)).isFalse();
        assertThat(store().claimDeliveries("n1", at(100), at(130), 10).claimed()).isEmpty();
    }

    @Test
    void deliveriesAreDeletedWithTheirJob() throws Exception {
        Job j = ended(true, false);
        Delivery d = store().claimDeliveries("n1", at(1), at(31), 10).claimed().get(0);
        store().recordAttempt(d, "n1", attempt(d, 1, 1, 500, Delivery.State.PENDING), at(2));
        assertThat(store().delete(j.id(), at(2))).isEqualTo(JobStore.Deletion.DELETED);
        assertThat(store().deliveries(j.id())).isEmpty();
        assertThat(store().claimDeliveries("n1", at(100), at(130), 10).claimed()).isEmpty();
    }

    @Test
    void concurrentClaimsNeverGetTheSameDelivery() throws Exception {
        for (int i = 0; i < 40; i++) ended(true, false);
        List<CompletableFuture<List<Delivery>>> claims = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            String node = store().exclusive() ? "n" : "n" + n; // why: an exclusive store's other node ids are a previous life's
            claims.add(CompletableFuture.supplyAsync(() -> {
                List<Delivery> got = new ArrayList<>();
                for (int k = 0; k < 10; k++) got.addAll(store().claimDeliveries(node, at(1), at(1).plus(Duration.ofMinutes(1)), 3).claimed());
                return got;
            }));
        }
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (var c : claims) {
            for (Delivery d : c.join()) {
                total++;
                seen.add(d.id());
            }
        }
        assertThat(total).isEqualTo(40);
        assertThat(seen).hasSize(40);
    }
}
