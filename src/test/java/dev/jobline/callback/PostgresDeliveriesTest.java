package dev.jobline.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.job.Callback;
import dev.jobline.job.Job;
import dev.jobline.job.Transitions;
import dev.jobline.json.Json;
import dev.jobline.pg.PostgresServer;
import dev.jobline.store.Admission;
import dev.jobline.store.Delivery;
import dev.jobline.store.Insert;
import dev.jobline.store.JobStore;
import dev.jobline.store.PostgresJobStore;
import dev.jobline.time.Timers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three nodes' senders on one PostgreSQL database: every delivery is sent once, by one of them. */
@Timeout(120)
class PostgresDeliveriesTest {
    @Test
    void eachAttemptIsSentByExactlyOneNode() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        List<JobStore> stores = new ArrayList<>();
        List<Deliveries> senders = new ArrayList<>();
        try (Receiver receiver = new Receiver()) {
            CallbackSettings settings = new CallbackSettings(CallbackPolicy.parse(receiver.url("/hook/")),
                    new Signer("k".getBytes(StandardCharsets.UTF_8)), Duration.ofHours(1));
            for (int n = 0; n < 3; n++) {
                JobStore s = PostgresJobStore.open(url);
                stores.add(s);
                senders.add(Deliveries.start(s, settings, "node-" + n, Timers.system(Clock.systemUTC())));
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                JobStore s = stores.get(i % 3);
                Callback callback = new Callback(receiver.url("/hook/" + i));
                Job q = Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.readTree("{}"), null, Clock.systemUTC().instant())
                        .with(b -> b.callback(callback));
                Job in = ((Insert.Inserted) s.insert(q, Admission.NONE)).job();
                Job running = s.update(Transitions.claim(in, "node-0", Clock.systemUTC().instant()), in.version()).orElseThrow();
                s.update(Transitions.finish(running, null, null, null, Clock.systemUTC().instant()), running.version()).orElseThrow();
                ids.add(in.id());
            }
            Set<String> deliveries = new HashSet<>();
            for (int i = 0; i < 30; i++) deliveries.add(receiver.next(30).header("Jobline-Delivery"));
            assertThat(deliveries).hasSize(30);
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                    .allMatch(id -> stores.get(0).deliveries(id).get(0).state() == Delivery.State.DELIVERED));
            for (String id : ids) assertThat(stores.get(1).deliveries(id)).hasSize(1);
            assertThat(receiver.pending()).isZero();
        } finally {
            senders.forEach(Deliveries::close);
            stores.forEach(JobStore::close);
        }
    }
}
