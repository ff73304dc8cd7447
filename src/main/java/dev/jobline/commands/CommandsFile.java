package dev.jobline.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.commands.Commands.Invalid;
import dev.jobline.job.ParamsSchema;
import dev.jobline.json.Json;
import dev.jobline.time.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks the operator's commands file, {@code {"commands": [{...}, ...]}}; a file that
 * does not hold is refused with {@link Invalid}, whose message names the command and the field.
 * Relative paths in it (a {@code run[0]} with a slash, a {@code workdir}) are taken from the
 * file's folder; a {@code run[0]} without a slash is looked for on the server's PATH.
 */
final class CommandsFile {
    private static final Set<String> FIELDS = Set.of("name", "description", "run", "params", "workdir", "env", "timeout", "grace",
            "restartable", "retry");

    private CommandsFile() {}

    /** The commands of {@code file}; {@code taken} are the names of the server's other job types. */
    static List<Command> read(Path file, Set<String> taken, String serverPath) {
        String where = "commands file " + file + ": ";
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new Invalid(where + "not valid JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
        } catch (IOException e) {
            throw new Invalid(where + "cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("commands").isArray()) {
            throw new Invalid(where + "must be a JSON object with an array \"commands\"");
        }
        for (String field : iterable(root.fieldNames())) {
            if (!field.equals("commands")) throw new Invalid(where + "unknown field '" + field + "' (only \"commands\")");
        }
        Path folder = file.toAbsolutePath().getParent();
        List<Command> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode entry : root.get("commands")) {
            String at = where + "commands[" + i++ + "]";
            if (!entry.isObject()) throw new Invalid(at + " must be a JSON object");
            JsonNode name = entry.get("name");
            if (name == null || !name.isTextual() || !name.asText().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new Invalid(at + ": name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            at += " (" + name.asText() + ")";
            if (taken.contains(name.asText())) throw new Invalid(at + ": name " + name.asText() + " is taken by a job type of the server itself");
            if (!names.add(name.asText())) throw new Invalid(at + ": name " + name.asText() + " is declared twice");
            out.add(command(entry, new Fields(at), folder, serverPath));
        }
        return out;
    }

    private static Command command(JsonNode c, Fields f, Path folder, String serverPath) {
        for (String field : iterable(c.fieldNames())) {
            if (!FIELDS.contains(field)) throw f.bad(field, "is not a field of a command; known: " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
        ObjectNode params = c.has("params") ? f.object(c, "params") : ParamsSchema.emptyObject();
        try {
            ParamsSchema.checkSupported(params);
        } catch (IllegalArgumentException e) {
            throw f.bad("params", e.getMessage());
        }
        List<String> run = new ArrayList<>();
        JsonNode runNode = c.get("run");
        if (runNode == null || !runNode.isArray() || runNode.isEmpty()) throw f.bad("run", "must be a non-empty array of strings");
        for (int i = 0; i < runNode.size(); i++) {
            if (!runNode.get(i).isTextual()) throw f.bad("run[" + i + "]", "must be a string");
            String arg = runNode.get(i).asText();
            if (arg.indexOf('\0') >= 0) throw f.bad("run[" + i + "]", "holds a NUL character");
            String param = Command.placeholder(arg);
            if (i == 0 && param != null) throw f.bad("run[0]", "must be the program's path, not a param");
            if (param != null && !params.path("properties").has(param)) {
                throw f.bad("run[" + i + "]", "'" + arg + "' names no property of params");
            }
            run.add(i == 0 ? Executables.resolve(arg, folder, serverPath, m -> f.bad("run[0]", m)) : arg);
        }
        Path workdir = null;
        if (c.has("workdir")) {
            workdir = folder.resolve(f.text(c, "workdir")).normalize();
            if (!Files.isDirectory(workdir)) throw f.bad("workdir", "'" + workdir + "' is not a folder");
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (c.has("env")) {
            for (Map.Entry<String, JsonNode> e : f.object(c, "env").properties()) {
                if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) throw f.bad("env", "'" + e.getKey() + "' is not a variable name");
                if (!e.getValue().isTextual()) throw f.bad("env." + e.getKey(), "must be a string");
                if (e.getValue().asText().indexOf('\0') >= 0) throw f.bad("env." + e.getKey(), "holds a NUL character");
                env.put(e.getKey(), e.getValue().asText());
            }
        }
        Duration timeout = c.has("timeout") ? f.duration(c, "timeout") : null;
        Duration grace = c.has("grace") ? f.duration(c, "grace") : Command.DEFAULT_GRACE;
        if (c.has("restartable") && !c.get("restartable").isBoolean()) throw f.bad("restartable", "must be true or false");
        String description = c.has("description") ? f.text(c, "description") : "";
        dev.jobline.job.RetryPolicy retry = null;
        if (c.has("retry")) {
            try {
                retry = dev.jobline.job.RetryPolicy.parse(c.get("retry"));
            } catch (IllegalArgumentException e) {
                throw f.bad("retry", e.getMessage());
            }
        }
        return new Command(c.get("name").asText(), description, run, params, workdir, env, timeout, grace,
                c.path("restartable").asBoolean(false), retry);
    }

    /** Messages about one command's fields. */
    private record Fields(String at) {
        Invalid bad(String field, String rule) {
            return new Invalid(at + ": " + field + " " + rule);
        }

        String text(JsonNode c, String field) {
            if (!c.get(field).isTextual()) throw bad(field, "must be a string");
            return c.get(field).asText();
        }

        ObjectNode object(JsonNode c, String field) {
            if (!c.get(field).isObject()) throw bad(field, "must be a JSON object");
            return (ObjectNode) c.get(field);
        }

        Duration duration(JsonNode c, String field) {
            String text = text(c, field);
            Duration d;
            try {
                d = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw bad(field, e.getMessage());
            }
            if (d.isZero()) throw bad(field, "must be more than 0");
            return d;
        }
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }
}
