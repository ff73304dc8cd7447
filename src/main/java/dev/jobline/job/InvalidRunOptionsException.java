package dev.jobline.job;

/** A submit's field of how the job runs ({@code runAt}, {@code queue}, ...) that cannot be taken; the message names the field. */
public class InvalidRunOptionsException extends RuntimeException {
    private final String field;

    public InvalidRunOptionsException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
