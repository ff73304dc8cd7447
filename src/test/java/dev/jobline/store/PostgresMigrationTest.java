package dev.jobline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.pg.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nodes that start together on a new database migrate it one at a time (under an advisory lock): all open, each version is applied once. */
@Timeout(120)
class PostgresMigrationTest {
    private static final int NODES = 6;

    @Test
    void sixStoresOpenedTogetherOnANewDatabaseAllOpenAndApplyEachMigrationOnce() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        CountDownLatch ready = new CountDownLatch(NODES);
        CountDownLatch go = new CountDownLatch(1);
        List<JobStore> opened = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            List<Future<JobStore>> stores = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                stores.add(pool.submit(() -> {
                    ready.countDown();
                    if (!go.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                    return PostgresJobStore.open(url);
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<JobStore> f : stores) opened.add(f.get(60, TimeUnit.SECONDS)); // throws if one failed to open
            assertThat(opened).hasSize(NODES);

            List<Integer> versions = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT version FROM jobline_schema ORDER BY version")) {
                while (rs.next()) versions.add(rs.getInt(1));
            }
            int latest = Migrations.latest("postgres");
            assertThat(latest).isPositive();
            assertThat(versions).containsExactlyElementsOf(IntStream.rangeClosed(1, latest).boxed().toList());
            for (JobStore s : opened) assertThat(s.nodes()).isEmpty(); // every store reads the migrated schema
        } finally {
            go.countDown();
            pool.shutdownNow();
            for (JobStore s : opened) s.close();
        }
    }
}
