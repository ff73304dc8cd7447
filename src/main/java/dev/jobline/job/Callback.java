package dev.jobline.job;

/**
 * Where to tell another system that a job ended: {@code POST url} with the job as JSON, signed.
 * The URL was checked against the server's allow-list when the job was submitted (and is checked
 * again before every request).
 */
public record Callback(String url) {}
