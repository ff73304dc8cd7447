package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.job.Job;
import dev.jobline.job.LogLine;
import dev.jobline.job.Transitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The store contract's part on job logs: every store runs it with the rest of {@link JobStoreContract}. */
public abstract class JobStoreLogContract extends JobStoreContract {

    protected List<LogLine> lines(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> LogLine.of(t0.plusMillis(i), i % 2 == 0 ? "stderr" : "stdout", prefix + i)).toList();
    }

    @Test
    void logLinesAreNumberedFromOneWithoutGapsAndReadAfterANumber() throws Exception {
        Job j = run(insert(newJob("sleep")), "n1");
        assertThat(store.readLog(j.id(), 0, 10)).isEqualTo(new LogPage(List.of(), 0, 0));
        assertThat(store.appendLog(j.id(), lines("a", 3), 0, 100)).isEqualTo(3);
        assertThat(store.appendLog(j.id(), lines("b", 2), 0, 100)).isEqualTo(5);
        LogPage all = store.readLog(j.id(), 0, 10);
        assertThat(all.lines()).extracting(LogLine::n).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(all.lines()).extracting(LogLine::text).containsExactly("a1", "a2", "a3", "b1", "b2");
        assertThat(all.lines().get(0)).isEqualTo(new LogLine(1, t0.plusMillis(1), "stdout", "a1"));
        assertThat(all.lines().get(1).stream()).isEqualTo("stderr");
        assertThat(all.next()).isEqualTo(5);
        assertThat(all.dropped()).isZero();
        LogPage some = store.readLog(j.id(), 2, 2);
        assertThat(some.lines()).extracting(LogLine::text).containsExactly("a3", "b1");
        assertThat(some.next()).isEqualTo(4);
        assertThat(store.readLog(j.id(), 5, 10)).isEqualTo(new LogPage(List.of(), 5, 0));
    }

    @Test
    void onlyTheNewestLinesAreKeptAndTheOlderCountAsDropped() throws Exception {
        Job j = run(insert(newJob("sleep")), "n1");
        store.appendLog(j.id(), lines("a", 4), 0, 3);
        store.appendLog(j.id(), lines("b", 2), 0, 3);
        LogPage page = store.readLog(j.id(), 0, 10);
        assertThat(page.lines()).extracting(LogLine::n).containsExactly(4L, 5L, 6L);
        assertThat(page.dropped()).isEqualTo(3);
        assertThat(store.appendLog(j.id(), lines("c", 5), 2, 3)).as("5 more after 2 never stored, of which 3 are kept").isEqualTo(13);
        page = store.readLog(j.id(), 0, 10);
        assertThat(page.lines()).extracting(LogLine::text).containsExactly("c3", "c4", "c5");
        assertThat(page.lines()).extracting(LogLine::n).containsExactly(11L, 12L, 13L);
        assertThat(page.dropped()).isEqualTo(10);
        assertThat(store.readLog(j.id(), 2, 10).lines()).as("a client behind the kept lines gets the oldest kept").hasSize(3);
    }

    @Test
    void aLineOfEightKibKeepsItsTextAndTheLogOfAJobThatIsGoneIsNotStored() throws Exception {
        Job j = run(insert(newJob("sleep")), "n1");
        String big = "é".repeat(LogLine.MAX_BYTES); // two bytes each: cut to 8 KiB
        store.appendLog(j.id(), List.of(LogLine.of(t0, "log", big)), 0, 10);
        String stored = store.readLog(j.id(), 0, 1).lines().get(0).text();
        assertThat(stored).isEqualTo("é".repeat(LogLine.MAX_BYTES / 2));
        assertThat(store.appendLog("missing", lines("x", 2), 0, 10)).isZero();
        assertThat(store.readLog("missing", 0, 10).lines()).isEmpty();
    }

    @Test
    void aJobsLogIsDeletedWithItByADeleteOrTheRetention() throws Exception {
        Job a = run(insert(newJob("sleep")), "n1");
        Job b = run(insert(newJob("sleep")), "n1");
        store.appendLog(a.id(), lines("a", 3), 0, 10);
        store.appendLog(b.id(), lines("b", 3), 0, 10);
        set(Transitions.finish(a, null, null, null, t0), a);
        set(Transitions.finish(b, null, null, null, t0), b);
        assertThat(store.delete(a.id(), t0)).isEqualTo(JobStore.Deletion.DELETED);
        assertThat(store.deleteFinishedBefore(t0.plusSeconds(1), t0.plusSeconds(1), 10)).containsExactly(b.id());
        assertThat(store.readLog(a.id(), 0, 10)).isEqualTo(new LogPage(List.of(), 0, 0));
        assertThat(store.readLog(b.id(), 0, 10)).isEqualTo(new LogPage(List.of(), 0, 0));
        assertThat(store.appendLog(a.id(), lines("late", 1), 0, 10)).isZero();
    }

    @Test
    void aCommitOfLogLinesTellsSubscribersAndTheFeedWhichJobsGrewAndToWhichLine() throws Exception {
        Job a = run(insert(newJob("sleep")), "n1");
        Job b = run(insert(newJob("sleep")), "n1");
        long cursor = awaitPosition();
        List<FeedListener.Batch> heard = new CopyOnWriteArrayList<>();
        store.subscribe(heard::add);
        store.appendLog(a.id(), lines("a", 2), 0, 10);
        store.appendLog(b.id(), lines("b", 1), 0, 10);
        store.appendLog(a.id(), lines("a", 3), 0, 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream().anyMatch(x -> Long.valueOf(5).equals(x.logs().get(a.id()))));
        List<String> grown = new ArrayList<>();
        for (FeedListener.Batch x : heard) x.logs().forEach((id, n) -> grown.add(id + "@" + n));
        assertThat(grown).contains(b.id() + "@1", a.id() + "@5");
        assertThat(heard).allSatisfy(x -> assertThat(x.jobs()).as("a log line is not a change of its job").isEmpty());
        ChangeSet cs = store.changesSince(cursor, 100);
        assertThat(cs.jobs()).isEmpty();
        assertThat(cs.logs()).containsEntry(a.id(), 5L).containsEntry(b.id(), 1L);
        assertThat(store.changesSince(cs.cursor(), 100).logs()).isEmpty();
    }

    @Test
    void anEndWrittenWithTheLastLinesStoresThemNoLaterThanTheEndAndEvenWhenTheEndLosesItsRace() throws Exception {
        Job j = run(insert(newJob("sleep")), "n1");
        Job k = run(insert(newJob("sleep")), "n1");
        store.appendLog(j.id(), lines("a", 2), 0, 100);
        List<FeedListener.Batch> heard = new CopyOnWriteArrayList<>();
        store.subscribe(heard::add);

        Job done = Transitions.finish(j, null, null, null, t0.plusSeconds(1));
        assertThat(store.update(done, j.version(), new LogTail(lines("b", 2), 0, 100))).isPresent();
        assertThat(store.get(j.id()).orElseThrow().isTerminal()).isTrue();
        assertThat(store.readLog(j.id(), 0, 10).lines()).extracting(LogLine::text).containsExactly("a1", "a2", "b1", "b2");
        await().atMost(Duration.ofSeconds(10)).until(() -> indexOf(heard, x -> x.jobs().stream().anyMatch(v -> v.id().equals(j.id()))) >= 0);
        int lines = indexOf(heard, x -> Long.valueOf(4).equals(x.logs().get(j.id())));
        int end = indexOf(heard, x -> x.jobs().stream().anyMatch(v -> v.id().equals(j.id()) && v.isTerminal()));
        assertThat(lines).as("the lines reach subscribers no later than the end, so a reader woken by the end finds them").isBetween(0, end);

        Job stale = Transitions.finish(k, null, null, null, t0.plusSeconds(1));
        assertThat(store.update(stale, k.version() + 7, new LogTail(lines("c", 1), 0, 100))).isEmpty();
        assertThat(store.get(k.id()).orElseThrow().state()).isEqualTo(k.state());
        assertThat(store.readLog(k.id(), 0, 10).lines()).extracting(LogLine::text).containsExactly("c1");
    }

    private static int indexOf(List<FeedListener.Batch> batches, java.util.function.Predicate<FeedListener.Batch> p) {
        for (int i = 0; i < batches.size(); i++) if (p.test(batches.get(i))) return i;
        return -1;
    }
}
