package dev.jobline.store;

/**
 * A store that could not do what was asked: its database is unreachable, restarting, or refused
 * the write. Nothing the client sent is wrong; the web layer answers 503 with Retry-After.
 */
public class StoreException extends IllegalStateException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
