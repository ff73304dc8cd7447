package dev.jobline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The access log's queue: every line reaches the real logger, in order per writer, and close writes what waits. */
@Timeout(30)
class QueuedLogTest {
    @Test
    void linesFromManyThreadsAllReachTheTargetAndCloseWritesWhatWaits() throws Exception {
        CapturedLog target = new CapturedLog("jobline.access");
        QueuedLog log = new QueuedLog(target);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.execute(() -> {
                    for (int i = 0; i < 1000; i++) log.info("{\"t\":" + thread + ",\"i\":" + i + "}");
                });
            }
        }
        log.close();
        assertThat(target.lines).hasSize(8000);
        for (int t = 0; t < 8; t++) {
            String prefix = "{\"t\":" + t + ",";
            List<String> mine = new ArrayList<>(target.lines.stream().filter(l -> l.startsWith(prefix)).toList());
            assertThat(mine).hasSize(1000);
            for (int i = 0; i < 1000; i++) assertThat(mine.get(i)).isEqualTo(prefix + "\"i\":" + i + "}");
        }
    }

    @Test
    void itLogsAtInfoOnlyWhenItsTargetDoes() {
        QueuedLog log = new QueuedLog(org.slf4j.LoggerFactory.getLogger("jobline.access"));
        try {
            assertThat(log.isInfoEnabled()).isTrue();
            assertThat(log.isDebugEnabled()).isFalse();
            assertThat(log.getName()).isEqualTo("jobline.access");
        } finally {
            log.close();
        }
    }
}
