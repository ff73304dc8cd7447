package dev.jobline.job;

/** Why a job failed or was cancelled: a message for people and a short type for programs. */
public record JobError(String message, String type) {

    public static JobError of(Throwable t) {
        String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        String type = t instanceof JobFailedException f ? f.type() : t.getClass().getSimpleName();
        return new JobError(message, type);
    }
}
