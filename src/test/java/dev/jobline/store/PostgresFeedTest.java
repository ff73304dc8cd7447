package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.job.Job;
import dev.jobline.json.Json;
import dev.jobline.pg.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node's reader of the shared feed hears every commit, by NOTIFY when it can and by reading the feed when it cannot. */
@Timeout(120)
class PostgresFeedTest {

    private static Job job() throws Exception {
        return Job.queued(UUID.randomUUID().toString(), "sleep", Json.MAPPER.readTree("{}"), null, Instant.now());
    }

    private static List<String> heard(JobStore store) {
        List<String> ids = new CopyOnWriteArrayList<>();
        store.subscribe(b -> b.jobs().forEach(j -> ids.add(j.id())));
        return ids;
    }

    @Test
    void anotherNodesCommitReachesThisNodesSubscribers() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        try (JobStore a = PostgresJobStore.open(url); JobStore b = PostgresJobStore.open(url)) {
            List<String> onB = heard(b);
            Job j = job();
            a.insert(j, Admission.NONE);
            await().atMost(Duration.ofSeconds(10)).until(() -> onB.contains(j.id()));
        }
    }

    @Test
    void aNodeThatHearsNoNotificationsReadsTheFeedInsteadAndMissesNothing() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        // why: a node behind a pooler in transaction mode LISTENs, but no notification ever reaches it
        try (JobStore a = PostgresJobStore.open(url); JobStore deaf = PostgresJobStore.open(url, "jobline_nobody_notifies_this")) {
            List<String> heard = heard(deaf);
            for (int i = 0; i < 20; i++) {
                Job j = job();
                a.insert(j, Admission.NONE);
                await().atMost(Duration.ofSeconds(15)).until(() -> heard.contains(j.id()));
            }
            assertThat(heard).doesNotHaveDuplicates();
        }
    }

    @Test
    void aNodeWhoseOwnPingGoesUnheardReadsTheFeedEvery200MsAndTrustsListenAgainOnceANotificationArrives() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        // why: as behind a pooler in transaction mode, nothing reaches the LISTEN, not even the node's own ping
        PostgresJobStore.Opened deaf = PostgresJobStore.open(url, "jobline_deaf", "jobline_ping_goes_elsewhere");
        try (JobStore a = PostgresJobStore.open(url); JobStore d = deaf.store()) {
            List<String> heard = heard(d);
            assertThat(deaf.feed().trusted()).isTrue();
            // 2 s without a notification, a ping, 2 s without it coming back: the reader stops trusting LISTEN
            await().atMost(Duration.ofSeconds(10)).until(() -> !deaf.feed().trusted());
            for (int i = 0; i < 5; i++) {
                Job j = job();
                a.insert(j, Admission.NONE);
                await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains(j.id()));
            }
            assertThat(deaf.feed().trusted()).isFalse();

            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("NOTIFY jobline_deaf"); // notifications reach the node again
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> deaf.feed().trusted());
            Job after = job();
            a.insert(after, Admission.NONE);
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains(after.id()));
            assertThat(heard).doesNotHaveDuplicates();
        }
    }

    @Test
    void afterTheDatabaseRestartsTheReaderCatchesUpOnWhatCommittedMeanwhile() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        try (JobStore a = PostgresJobStore.open(url); JobStore b = PostgresJobStore.open(url)) {
            List<String> onB = heard(b);
            Job before = job();
            a.insert(before, Admission.NONE);
            await().atMost(Duration.ofSeconds(10)).until(() -> onB.contains(before.id()));
            PostgresServer.shared().restart();
            Job after = job();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> a.insert(after, Admission.NONE) instanceof Insert.Inserted);
            await().atMost(Duration.ofSeconds(30)).until(() -> onB.contains(after.id()));
        }
    }
}
