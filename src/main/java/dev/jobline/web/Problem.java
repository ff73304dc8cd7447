package dev.jobline.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An RFC 9457 problem: every error leaves the server as one of these, with content type
 * {@code application/problem+json}. {@code retryAfterSeconds} becomes a Retry-After header.
 */
@JsonPropertyOrder({"type", "title", "status", "detail"})
public record Problem(String type, String title, int status, String detail, @JsonIgnore Integer retryAfterSeconds) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("/problems/" + slug, title, status, detail, null);
    }

    public Problem retryAfter(int seconds) {
        return new Problem(type, title, status, detail, seconds);
    }

    public static Problem badRequest(String detail) {
        return of(400, "bad-request", "Malformed request", detail);
    }

    public static Problem notFound(String detail) {
        return of(404, "not-found", "No such job", detail);
    }

    /** Thrown anywhere in a handler to answer with this problem. */
    public static final class Exception extends RuntimeException {
        private final Problem problem;

        public Exception(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    public Exception toException() {
        return new Exception(this);
    }
}
