package dev.jobline.job;

/** Why the engine refused a request. The web layer turns each kind into its HTTP status in one place. */
public abstract sealed class JobException extends RuntimeException {

    JobException(String message) {
        super(message);
    }

    /** No such job, or not one the caller may see. */
    public static final class NotFound extends JobException {
        public NotFound(String id) {
            super("no job with id " + id);
        }
    }

    /** The job's state does not allow this now. */
    public static final class Conflict extends JobException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** A submit naming a type nobody registered. */
    public static final class UnknownType extends JobException {
        public UnknownType(String message) {
            super(message);
        }
    }

    /** An Idempotency-Key used again with a different request. */
    public static final class KeyReused extends JobException {
        public KeyReused(String message) {
            super(message);
        }
    }

    /** A well-formed request that cannot be run, for a reason {@code type} names (as a problem's type); the message names the field. */
    public static final class Unprocessable extends JobException {
        private final String type;

        public Unprocessable(String type, String message) {
            super(message);
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    /** A limit is reached; the client may retry after the given seconds. */
    public static final class Full extends JobException {
        private final int retryAfterSeconds;

        public Full(String message, int retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** The service is shutting down and takes no new work. */
    public static final class Draining extends JobException {
        public Draining() {
            this("the server is shutting down and takes no new jobs; retry against another instance or after it restarts");
        }

        public Draining(String message) {
            super(message);
        }
    }
}
