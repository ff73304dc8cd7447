package dev.jobline.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code after} field of a submit: an array of job ids the job waits for; anything else is 400 naming the field. */
final class AfterField {
    /** The most ids one job may wait for. */
    static final int MAX = 1000;

    private AfterField() {}

    /** The ids, each once, in order; null when the field is absent, null or empty. {@code field} names it in messages. */
    static List<String> read(JsonNode after, String field) {
        if (after == null || after.isNull()) return null;
        if (!after.isArray()) throw Problem.badRequest(field + " must be an array of job ids, not " + kind(after)).toException();
        if (after.size() > MAX) throw Problem.badRequest(field + " holds " + after.size() + " ids; a job waits for at most " + MAX).toException();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < after.size(); i++) {
            JsonNode id = after.get(i);
            if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > 200) {
                throw Problem.badRequest(field + "[" + i + "] must be a job id (a string of 1 to 200 characters), not "
                        + (id.isTextual() ? "'" + id.asText().substring(0, Math.min(20, id.asText().length())) + "'" : kind(id))).toException();
            }
            ids.add(id.asText());
        }
        return ids.isEmpty() ? null : new ArrayList<>(ids);
    }

    static String kind(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        return n.getNodeType().name().toLowerCase();
    }
}
