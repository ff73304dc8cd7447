package dev.jobline.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the metadata of uploads lives, next to the jobs that use them ({@link JobStore#uploads()}).
 * A job uses an upload from its insert on ({@link Admission#uploads()}); while any job uses it, an
 * upload does not expire. Deleting the last job that uses an upload makes it expire at once;
 * {@link #expire} then removes it, and its caller removes the file.
 */
public interface UploadStore {

    /** Stores an upload that no job uses yet; it expires at {@code expiresAt} unless a job uses it first. */
    void add(Upload upload, Instant expiresAt);

    Optional<Upload> find(String id);

    /** Newest first, at most {@code limit}; only {@code owner}'s when it is not null. */
    List<Upload> list(String owner, int limit);

    /** Deletes an upload unless a queued or running job uses it. */
    Removal remove(String id);

    /** What a remove did. */
    enum Removal { REMOVED, IN_USE, MISSING }

    /** Deletes up to {@code limit} uploads expired by {@code now} and returns them, so that their files can go too. */
    List<Upload> expire(Instant now, int limit);
}
