package dev.jobline.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * One log line as a flat JSON object, built field by field without a tree or a mapper: what the
 * access log and the job event lines write. Text values are escaped, so nothing a client sends
 * (a job id in a path, say) can break the line or forge another one.
 */
public final class JsonLine {
    private final StringBuilder out = new StringBuilder(160);

    private JsonLine(String event) {
        out.append("{\"event\":\"").append(event).append('"');
    }

    /** A line whose {@code event} field is {@code event} (a name of ours, written as it is). */
    public static JsonLine of(String event) {
        return new JsonLine(event);
    }

    /** Adds a text field; a null value is left out. */
    public JsonLine add(String name, String value) {
        if (value == null) return this;
        out.append(",\"").append(name).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        out.append('"');
        return this;
    }

    public JsonLine add(String name, long value) {
        out.append(",\"").append(name).append("\":").append(value);
        return this;
    }

    /** Adds a number of milliseconds with at most three decimals. */
    public JsonLine millis(String name, long nanos) {
        long micros = nanos / 1000;
        out.append(",\"").append(name).append("\":").append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) out.append('0');
        if (frac < 10) out.append('0');
        out.append(frac);
        return this;
    }

    @Override
    public String toString() {
        return out + "}";
    }
}
