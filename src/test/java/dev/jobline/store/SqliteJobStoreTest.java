package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.job.Job;
import dev.jobline.job.LogLine;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobStoreTest extends JobStoreRaceContract {
    @TempDir
    Path dir;

    @Override
    protected JobStore open() {
        return SqliteJobStore.open(dir);
    }

    @Test
    void jobsCursorsAndKeysSurviveReopening() throws Exception {
        Job a = insert(newJob("sleep"));
        store.insert(newJob("sleep"), new Admission(new IdempotencyKey("", "k1", "h1", "job-x", t0), null));
        String feed = store.feedId();
        long last = store.lastPosition();
        store.close();
        store = SqliteJobStore.open(dir);
        assertThat(store.feedId()).isEqualTo(feed);
        assertThat(store.lastPosition()).isEqualTo(last);
        assertThat(store.get(a.id())).isPresent();
        assertThat(store.findKey("", "k1").orElseThrow().requestHash()).isEqualTo("h1");
        assertThat(store.changesSince(last, 10).isEmpty()).isTrue();
        Job b = insert(newJob("sleep"));
        assertThat(b.seq()).isGreaterThan(last);
    }

    @Test
    void aDeliveryLeasedByThePreviousLifeIsClaimedAgainAfterReopening() throws Exception {
        Job q = insert(newJob("sleep").with(b -> b.callback(new dev.jobline.job.Callback("http://127.0.0.1:9/hook"))));
        Job running = store.update(dev.jobline.job.Transitions.claim(q, "old", t0), q.version()).orElseThrow();
        store.update(dev.jobline.job.Transitions.finish(running, null, null, null, t0), running.version()).orElseThrow();
        Delivery d = store.claimDeliveries("old", t0, t0.plusSeconds(60), 10).claimed().get(0);
        store.close();
        store = SqliteJobStore.open(dir);
        DeliveryClaim again = store.claimDeliveries("new", t0.plusSeconds(1), t0.plusSeconds(61), 10);
        assertThat(again.claimed()).extracting(Delivery::id).containsExactly(d.id());
        assertThat(store.get(q.id()).orElseThrow().callback().url()).isEqualTo("http://127.0.0.1:9/hook");
    }

    @Test
    void logsSurviveReopeningAndGoOnFromTheirLastNumber() throws Exception {
        Job a = insert(newJob("sleep"));
        store.appendLog(a.id(), lines("a", 4), 0, 3);
        store.close();
        store = SqliteJobStore.open(dir);
        LogPage page = store.readLog(a.id(), 0, 10);
        assertThat(page.lines()).extracting(LogLine::text).containsExactly("a2", "a3", "a4");
        assertThat(page.dropped()).isEqualTo(1);
        assertThat(store.appendLog(a.id(), lines("b", 1), 0, 3)).isEqualTo(5);
    }

    @Test
    void theJournalIsWalWithFullSyncAndTheSchemaIsVersioned() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobline.db"));
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(Migrations.latest("sqlite"));
            }
        }
    }

    @Test
    void aStoreFromANewerJoblineIsRefused() throws Exception {
        store.close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobline.db"));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqliteJobStore.open(dir))
                .hasMessageContaining("newer than this Jobline knows");
        store = new MemoryJobStore();
    }
}
