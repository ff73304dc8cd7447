package dev.jobline.job;

import java.time.Instant;

/** How one earlier attempt of a job ended: its number, its error, and when it ended. */
public record AttemptError(int attempt, JobError error, Instant finishedAt) {}
