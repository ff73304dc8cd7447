package dev.jobline.store;

import dev.jobline.job.LogLine;
import java.util.List;

/**
 * Lines of a job's log read after a number: {@code next} is what the next read passes as its
 * {@code after}, and {@code dropped} counts the older lines no longer kept.
 */
public record LogPage(List<LogLine> lines, long next, long dropped) {}
