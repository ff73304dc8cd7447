package dev.jobline.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.job.JobFailedException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A command's arguments for one job: an argument that is exactly {@code {param}} becomes that
 * param's value (a string as it is, a number or boolean as JSON, an array one argument per
 * element, an object as JSON), or goes away when the param is absent; every other argument is
 * passed as written. Nothing else is substituted, and no shell reads the result.
 */
final class Argv {
    private Argv() {}

    static List<String> of(Command command, JsonNode params) {
        List<String> out = new ArrayList<>();
        out.add(command.run().getFirst());
        for (String arg : command.run().subList(1, command.run().size())) {
            String name = Command.placeholder(arg);
            if (name == null) {
                out.add(arg);
                continue;
            }
            JsonNode value = params.get(name);
            if (value == null || value.isNull() || value.isMissingNode()) continue;
            for (JsonNode v : value.isArray() ? value : List.of(value)) {
                String text = text(v);
                if (text.indexOf('\0') >= 0) {
                    throw new JobFailedException("params." + name + " holds a NUL character, which no program can take in an argument", "params");
                }
                out.add(text);
            }
        }
        return out;
    }

    private static String text(JsonNode value) {
        if (value.isTextual()) return value.asText();
        // why: an integer param sent as 5.0 passes the schema; the program gets 5
        if (value.isFloatingPointNumber() && Double.isFinite(value.asDouble()) && value.asDouble() == Math.rint(value.asDouble())
                && Math.abs(value.asDouble()) < 1e15) {
            return new BigDecimal(value.asText()).toBigInteger().toString();
        }
        return value.toString();
    }
}
