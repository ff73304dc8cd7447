package dev.jobline.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTailTest {
    @Test
    void keepsTheLastLinesWithTheirStreams() {
        LogTail tail = new LogTail(3);
        for (int i = 1; i <= 5; i++) tail.add(i % 2 == 0 ? "stderr" : "stdout", "line " + i);
        tail.add(null, null);
        assertThat(tail.lines()).containsExactly(new LogTail.Line("stderr", "line 4"), new LogTail.Line("stdout", "line 5"),
                new LogTail.Line("log", ""));
    }
}
