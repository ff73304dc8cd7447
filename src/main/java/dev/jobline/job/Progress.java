package dev.jobline.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How far a job has come: always a percent, and the count and message when the job reports them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(double percent, Long done, Long total, String message) {

    public static final Progress NONE = new Progress(0, null, null, null);
    public static final Progress COMPLETE = new Progress(100, null, null, null);

    public Progress {
        if (Double.isNaN(percent)) throw new IllegalArgumentException("percent must be a number");
        percent = Math.max(0, Math.min(100, percent));
    }

    public static Progress of(long done, long total, String message) {
        if (total <= 0) throw new IllegalArgumentException("total must be positive");
        if (done < 0) throw new IllegalArgumentException("done must not be negative");
        return new Progress(100.0 * Math.min(done, total) / total, done, total, message);
    }

    /** The same progress shown as complete, keeping the counts and message a job reported last. */
    Progress completed() {
        Long d = total != null ? total : done;
        return new Progress(100, d, total, message);
    }
}
