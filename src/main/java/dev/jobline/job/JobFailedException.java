package dev.jobline.job;

/** Thrown by a handler to fail its job with a message and a short error type of its choosing. */
public class JobFailedException extends RuntimeException {
    private final String type;

    public JobFailedException(String message) {
        this(message, "failed");
    }

    public JobFailedException(String message, String type) {
        super(message);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
