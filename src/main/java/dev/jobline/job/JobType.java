package dev.jobline.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A kind of work Jobline can run: a name clients submit, a description, a JSON Schema for its
 * params (validated before the job is accepted, defaults filled in), and the handler.
 *
 * @param restartable whether a job of this type that was running when its process died may run
 *     again from the start; when false such a job fails as interrupted
 * @param retry how often a failed job of this type runs again when its submit names no retry
 *     (null: it does not)
 */
public record JobType(String name, String description, ObjectNode paramsSchema, JobHandler handler,
                      boolean restartable, RetryPolicy retry) {

    public JobType(String name, String description, ObjectNode paramsSchema, JobHandler handler, boolean restartable) {
        this(name, description, paramsSchema, handler, restartable, null);
    }

    /** The same type with a default retry policy. */
    public JobType withRetry(RetryPolicy policy) {
        return new JobType(name, description, paramsSchema, handler, restartable, policy);
    }

    public JobType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("job type name must be 1 to 64 letters, digits, '.', '_' or '-': " + name);
        }
        description = description == null ? "" : description;
        paramsSchema = paramsSchema == null ? ParamsSchema.emptyObject() : paramsSchema;
        ParamsSchema.checkSupported(paramsSchema);
    }

    public static JobType of(String name, String description, ObjectNode paramsSchema, JobHandler handler) {
        return new JobType(name, description, paramsSchema, handler, true);
    }
}
