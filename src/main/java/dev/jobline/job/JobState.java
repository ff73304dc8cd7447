package dev.jobline.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The life of a job: queued, running, then one of three terminal states that never change again. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state named on the wire, or null when there is none of that name. */
    @JsonCreator
    public static JobState fromWire(String name) {
        for (JobState s : values()) {
            if (s.wireName().equals(name)) return s;
        }
        return null;
    }
}
