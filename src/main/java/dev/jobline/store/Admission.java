package dev.jobline.store;

import java.time.Instant;

/**
 * What a new job must pass to be stored, checked in the same transaction: its Idempotency-Key
 * must be new, and its owner's submit rate must have a token. Either may be null.
 */
public record Admission(IdempotencyKey key, Rate rate) {

    public static final Admission NONE = new Admission(null, null);

    /** A token bucket per owner: {@code perSecond} tokens a second, holding at most twice that. */
    public record Rate(String owner, double perSecond, Instant now) {}
}
