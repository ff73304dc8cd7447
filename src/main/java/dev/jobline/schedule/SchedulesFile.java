package dev.jobline.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.InvalidParamsException;
import dev.jobline.job.JobType;
import dev.jobline.job.ParamsSchema;
import dev.jobline.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks the schedules file, {@code {"schedules": [{"name", "cron", "timezone", "type",
 * "params", "overlap"}, ...]}}; a file that does not hold is refused with {@link Invalid}, whose
 * message names the schedule and the field.
 */
public final class SchedulesFile {
    private static final Set<String> FIELDS = Set.of("name", "cron", "timezone", "type", "params", "overlap");

    /** A schedules file that cannot be used; the message names the schedule and the field. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    private SchedulesFile() {}

    /** The schedules of {@code file}, whose jobs must be of {@code types} (by name). */
    public static List<Schedule> read(Path file, Map<String, JobType> types) {
        String where = "schedules file " + file + ": ";
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new Invalid(where + "not valid JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
        } catch (IOException e) {
            throw new Invalid(where + "cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("schedules").isArray()) {
            throw new Invalid(where + "must be a JSON object with an array \"schedules\"");
        }
        root.fieldNames().forEachRemaining(field -> {
            if (!field.equals("schedules")) throw new Invalid(where + "unknown field '" + field + "' (only \"schedules\")");
        });
        List<Schedule> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode entry : root.get("schedules")) {
            String at = where + "schedules[" + i++ + "]";
            if (!entry.isObject()) throw new Invalid(at + " must be a JSON object");
            JsonNode name = entry.get("name");
            if (name == null || !name.isTextual() || !name.asText().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new Invalid(at + ": name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            at += " (" + name.asText() + ")";
            if (!names.add(name.asText())) throw new Invalid(at + ": name " + name.asText() + " is declared twice");
            out.add(schedule(entry, at, types));
        }
        return out;
    }

    private static Schedule schedule(JsonNode s, String at, Map<String, JobType> types) {
        s.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw bad(at, field, "is not a field of a schedule; known: " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        });
        ZoneId zone = ZoneId.of("UTC");
        if (s.has("timezone")) {
            String tz = text(s, at, "timezone");
            try {
                zone = ZoneId.of(tz);
            } catch (DateTimeException e) {
                throw bad(at, "timezone", "'" + tz + "' is not a known time zone; use a name like Europe/Berlin or UTC");
            }
        }
        if (!s.has("cron")) throw bad(at, "cron", "is required: " + Ticks.RULE);
        String cron = text(s, at, "cron");
        Ticks ticks;
        try {
            ticks = Ticks.parse(cron, zone);
        } catch (IllegalArgumentException e) {
            throw bad(at, "cron", e.getMessage());
        }
        if (ticks.next(Instant.now()) == null) throw bad(at, "cron", "'" + cron + "' never comes (no such date)");
        if (!s.has("type")) throw bad(at, "type", "is required: the name of a job type");
        String typeName = text(s, at, "type");
        JobType type = types.get(typeName);
        if (type == null) {
            throw bad(at, "type", "'" + typeName + "' is not a job type of this server; known: " + String.join(", ", types.keySet().stream().sorted().toList()));
        }
        JsonNode given = s.has("params") ? s.get("params") : Json.MAPPER.createObjectNode();
        if (!given.isObject()) throw bad(at, "params", "must be a JSON object");
        ObjectNode params;
        try {
            params = ParamsSchema.validate(type.paramsSchema(), given);
        } catch (InvalidParamsException e) {
            throw new Invalid(at + ": " + e.getMessage() + " (the params of type " + typeName + ")");
        }
        for (String upload : ParamsSchema.uploadParams(type.paramsSchema())) {
            if (params.has(upload)) throw bad(at, "params." + upload, "names an upload, which a schedule cannot hold on to");
        }
        String overlap = s.has("overlap") ? text(s, at, "overlap") : "skip";
        if (!overlap.equals("skip") && !overlap.equals("allow")) throw bad(at, "overlap", "must be \"skip\" or \"allow\", not '" + overlap + "'");
        return new Schedule(s.get("name").asText(), cron, zone, typeName, params, overlap.equals("allow"), ticks, type.retry());
    }

    private static Invalid bad(String at, String field, String rule) {
        return new Invalid(at + ": " + field + " " + rule);
    }

    private static String text(JsonNode s, String at, String field) {
        if (!s.get(field).isTextual()) throw bad(at, field, "must be a string");
        return s.get(field).asText();
    }
}
