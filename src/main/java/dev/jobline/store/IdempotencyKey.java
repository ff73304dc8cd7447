package dev.jobline.store;

import java.time.Instant;

/**
 * A client's Idempotency-Key as stored: who used it ({@code scope}, the owner or empty), the
 * key, a hash of the request body it came with, and the job that request created.
 */
public record IdempotencyKey(String scope, String key, String requestHash, String jobId, Instant createdAt) {}
