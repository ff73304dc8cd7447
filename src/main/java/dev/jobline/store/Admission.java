package dev.jobline.store;

import java.time.Instant;
import java.util.List;

/**
 * What a new job must pass to be stored, checked in the same transaction: its Idempotency-Key
 * must be new, its owner's submit rate must have a token, and the uploads it uses must still be
 * there (from then on they are kept while the job is). Key and rate may be null.
 */
public record Admission(IdempotencyKey key, Rate rate, List<String> uploads) {

    public static final Admission NONE = new Admission(null, null);

    public Admission {
        uploads = uploads == null ? List.of() : List.copyOf(uploads);
    }

    public Admission(IdempotencyKey key, Rate rate) {
        this(key, rate, List.of());
    }

    /** A token bucket per owner: {@code perSecond} tokens a second, holding at most twice that. */
    public record Rate(String owner, double perSecond, Instant now) {}
}
