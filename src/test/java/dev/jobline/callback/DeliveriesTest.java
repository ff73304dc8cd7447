package dev.jobline.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.job.Callback;
import dev.jobline.job.Job;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import dev.jobline.store.Admission;
import dev.jobline.store.Delivery;
import dev.jobline.store.DeliveryAttempt;
import dev.jobline.store.Insert;
import dev.jobline.store.JobStore;
import dev.jobline.store.MemoryJobStore;
import dev.jobline.time.FakeTimers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sender loop on a memory store, with time moved by hand. */
@Timeout(60)
class DeliveriesTest {
    private final FakeTimers timers = new FakeTimers();
    private final JobStore store = new MemoryJobStore();
    private Receiver receiver;
    private Deliveries sender;

    @BeforeEach
    void receiver() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        if (sender != null) sender.close();
        receiver.close();
    }

    private void start(String allow, Duration retryFor) {
        sender = Deliveries.start(store, new CallbackSettings(CallbackPolicy.parse(allow),
                new Signer("k".getBytes(StandardCharsets.UTF_8)), retryFor), "n1", timers);
    }

    /** A job with a callback to {@code url}, run and ended in the store. */
    private String end(String url) throws Exception {
        Job q = Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.readTree("{}"), null, timers.clock().instant())
                .with(b -> b.callback(new Callback(url)));
        Job in = ((Insert.Inserted) store.insert(q, Admission.NONE)).job();
        Job running = store.update(Transitions.claim(in, "n1", timers.clock().instant()), in.version()).orElseThrow();
        store.update(Transitions.finish(running, null, null, null, timers.clock().instant()), running.version()).orElseThrow();
        return in.id();
    }

    private List<DeliveryAttempt> history(String id) {
        return store.deliveries(id);
    }

    @Test
    void aJobThatEndsWakesTheSleepingLoopAtOnce() throws Exception {
        start(receiver.url("/hook/"), Duration.ofHours(1));
        await().until(() -> timers.pending() > 0); // why: the loop found nothing and sleeps by the fake clock
        String id = end(receiver.url("/hook/a"));
        assertThat(receiver.next(20).header("Jobline-Event")).isEqualTo("job.succeeded");
        await().until(() -> history(id).get(0).state() == Delivery.State.DELIVERED);
    }

    @Test
    void aDeliveryStillFailingAfterRetryForIsGivenUp() throws Exception {
        receiver.answer(500, 500, 500, 500, 500, 500, 500, 500);
        start(receiver.url("/hook/"), Duration.ofMinutes(1));
        String id = end(receiver.url("/hook/b"));
        receiver.next(20);
        await().until(() -> history(id).get(0).attempt() == 1);
        assertThat(history(id).get(0).state()).isEqualTo(Delivery.State.PENDING);
        await().until(() -> {
            timers.advance(Duration.ofMinutes(2));
            List<DeliveryAttempt> h = history(id);
            return h.get(h.size() - 1).state() == Delivery.State.FAILED;
        });
        List<DeliveryAttempt> h = history(id);
        assertThat(h).extracting(DeliveryAttempt::status).containsOnly(500);
        assertThat(h.get(h.size() - 1).at()).isAfterOrEqualTo(h.get(0).at().plus(Duration.ofMinutes(1)));
    }

    @Test
    void aUrlNoLongerAllowedFailsWithoutARequest() throws Exception {
        start("http://127.0.0.1:1/elsewhere/", Duration.ofHours(1));
        String id = end(receiver.url("/hook/c"));
        await().until(() -> history(id).get(0).attempt() == 1);
        DeliveryAttempt a = history(id).get(0);
        assertThat(a.state()).isEqualTo(Delivery.State.FAILED);
        assertThat(a.status()).isNull();
        assertThat(a.error()).contains("not allowed");
        assertThat(receiver.pending()).isZero();
    }
}
