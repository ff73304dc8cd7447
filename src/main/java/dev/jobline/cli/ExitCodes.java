package dev.jobline.cli;

/** The exit codes of the client commands, as the contract lists them. */
final class ExitCodes {
    static final int SUCCEEDED = 0;
    /** The job failed; also a request the server refused (a 409 conflict, a 429 that did not clear). */
    static final int FAILED = 1;
    static final int CANCELLED = 2;
    static final int USAGE = 3;
    static final int TRANSPORT = 4;
    static final int NO_SUCH_JOB = 5;
    /** Interrupted while following (Ctrl-C): the shell's convention, 128 + SIGINT. */
    static final int INTERRUPTED = 130;

    private ExitCodes() {}

    /** The code for a job in this terminal state. */
    static int ofState(String state) {
        return switch (state) {
            case "succeeded" -> SUCCEEDED;
            case "cancelled" -> CANCELLED;
            default -> FAILED;
        };
    }
}
