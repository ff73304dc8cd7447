package dev.jobline.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates job params against the small part of JSON Schema that job types use: an object whose
 * properties each have a {@code type} (number, integer, string, boolean, object, array), optional
 * {@code minimum}/{@code maximum}, {@code minLength}/{@code maxLength}, {@code pattern} (a Java regular
 * expression that must be found in a string, unanchored as in JSON Schema), {@code enum} and
 * {@code default}, {@code items} and {@code minItems} of arrays, and {@code "format": "upload"} for a
 * string that holds an upload id; plus {@code required} and {@code additionalProperties: false}. A schema with
 * any other keyword is refused when its type is registered, so no rule is silently ignored.
 */
public final class ParamsSchema {
    private static final Set<String> ROOT_KEYS = Set.of(
            "$schema", "type", "title", "description", "properties", "required", "additionalProperties");
    private static final Set<String> PROPERTY_KEYS = Set.of(
            "type", "title", "description", "default", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum", "format",
            "items", "minItems");
    /** Formats of string params: an {@code upload} param holds the id of one of the caller's uploads (the engine checks it). */
    public static final String UPLOAD = "upload";
    private static final Set<String> TYPES = Set.of("number", "integer", "string", "boolean", "object", "array");

    private ParamsSchema() {}

    public static ObjectNode emptyObject() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        schema.putObject("properties");
        schema.put("additionalProperties", false);
        return schema;
    }

    /** Throws IllegalArgumentException when the schema uses something this validator does not check. */
    public static void checkSupported(ObjectNode schema) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ROOT_KEYS.contains(key)) throw new IllegalArgumentException("unsupported schema keyword: " + key);
        }
        if (!"object".equals(schema.path("type").asText("object"))) {
            throw new IllegalArgumentException("a params schema must describe an object");
        }
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) checkRule(p.getKey(), p.getValue());
    }

    private static void checkPattern(String name, JsonNode rule) {
        if (!rule.path("type").asText().equals("string") || !rule.get("pattern").isTextual()) {
            throw new IllegalArgumentException("pattern of " + name + " must be a string, on a property of type string");
        }
        try {
            Pattern.compile(rule.get("pattern").asText());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern of " + name + " is not a regular expression: " + e.getDescription());
        }
    }

    private static void checkRule(String name, JsonNode rule) {
        for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!PROPERTY_KEYS.contains(key)) throw new IllegalArgumentException("unsupported schema keyword in " + name + ": " + key);
        }
        String type = rule.path("type").asText();
        if (!TYPES.contains(type)) throw new IllegalArgumentException("property " + name + " needs a type, one of " + TYPES);
        if (rule.has("format") && !(type.equals("string") && rule.get("format").asText().equals(UPLOAD))) {
            throw new IllegalArgumentException("property " + name + ": the only format is \"upload\", of a string");
        }
        if ((rule.has("items") || rule.has("minItems")) && !type.equals("array")) {
            throw new IllegalArgumentException("property " + name + ": items and minItems are for arrays");
        }
        if (rule.has("pattern")) checkPattern(name, rule);
        if (rule.has("items")) checkRule(name + "[]", rule.get("items"));
    }

    /** The params of this schema that hold upload ids ({@code "format": "upload"}). */
    public static List<String> uploadParams(ObjectNode schema) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            if (UPLOAD.equals(p.getValue().path("format").asText())) out.add(p.getKey());
        }
        return out;
    }

    /**
     * Returns the params with defaults filled in, or throws {@link InvalidParamsException} naming
     * the first field that breaks a rule, as {@code params.NAME must ...}.
     */
    public static ObjectNode validate(ObjectNode schema, JsonNode params) {
        if (params == null || params.isNull() || params.isMissingNode()) params = JsonNodeFactory.instance.objectNode();
        if (!params.isObject()) throw new InvalidParamsException("params must be a JSON object");
        ObjectNode out = ((ObjectNode) params).deepCopy();
        JsonNode properties = schema.path("properties");
        if (!schema.path("additionalProperties").asBoolean(true)) {
            for (Iterator<String> it = out.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!properties.has(name)) {
                    throw new InvalidParamsException("params." + name + " is not a parameter of this job type"
                            + (properties.isEmpty() ? " (it takes none)" : "; known: " + names(properties)));
                }
            }
        }
        for (JsonNode required : schema.path("required")) {
            JsonNode v = out.get(required.asText());
            if (v == null || v.isNull()) throw new InvalidParamsException("params." + required.asText() + " is required");
        }
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            String field = "params." + p.getKey();
            JsonNode rule = p.getValue();
            JsonNode value = out.get(p.getKey());
            if (value == null || value.isNull()) {
                if (rule.has("default")) out.set(p.getKey(), rule.get("default").deepCopy());
                else out.remove(p.getKey());
                continue;
            }
            checkValue(field, rule, value);
        }
        return out;
    }

    private static void checkValue(String field, JsonNode rule, JsonNode value) {
        String type = rule.path("type").asText();
        switch (type) {
            case "number", "integer" -> {
                boolean integral = value.isIntegralNumber()
                        || (value.isNumber() && Double.isFinite(value.asDouble()) && value.asDouble() == Math.rint(value.asDouble()));
                if (!value.isNumber() || !Double.isFinite(value.asDouble()) || (type.equals("integer") && !integral)) {
                    throw new InvalidParamsException(field + " must be " + (type.equals("integer") ? "an integer" : "a number")
                            + range(rule));
                }
                double d = value.asDouble();
                if ((rule.has("minimum") && d < rule.get("minimum").asDouble())
                        || (rule.has("maximum") && d > rule.get("maximum").asDouble())) {
                    throw new InvalidParamsException(field + " must be " + (type.equals("integer") ? "an integer" : "a number")
                            + range(rule) + ", not " + value);
                }
            }
            case "string" -> {
                if (!value.isTextual()) throw new InvalidParamsException(field + " must be a string");
                int len = value.asText().codePointCount(0, value.asText().length());
                if (rule.has("minLength") && len < rule.get("minLength").asInt()) {
                    throw new InvalidParamsException(field + " must be at least " + rule.get("minLength").asInt() + " characters long");
                }
                if (rule.has("maxLength") && len > rule.get("maxLength").asInt()) {
                    throw new InvalidParamsException(field + " must be at most " + rule.get("maxLength").asInt() + " characters long");
                }
                if (rule.has("pattern") && !Pattern.compile(rule.get("pattern").asText()).matcher(value.asText()).find()) {
                    throw new InvalidParamsException(field + " must match the pattern " + rule.get("pattern").asText());
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) throw new InvalidParamsException(field + " must be true or false");
            }
            case "object" -> {
                if (!value.isObject()) throw new InvalidParamsException(field + " must be a JSON object");
            }
            case "array" -> {
                if (!value.isArray()) throw new InvalidParamsException(field + " must be a JSON array");
                if (rule.has("minItems") && value.size() < rule.get("minItems").asInt()) {
                    throw new InvalidParamsException(field + " must have at least " + rule.get("minItems").asInt() + " items");
                }
                if (rule.has("items")) {
                    for (int i = 0; i < value.size(); i++) checkValue(field + "[" + i + "]", rule.get("items"), value.get(i));
                }
            }
            default -> throw new IllegalStateException("unchecked type " + type);
        }
        if (rule.has("enum")) {
            for (JsonNode allowed : rule.get("enum")) {
                if (allowed.equals(value)) return;
            }
            throw new InvalidParamsException(field + " must be one of " + rule.get("enum"));
        }
    }

    private static String range(JsonNode rule) {
        boolean min = rule.has("minimum"), max = rule.has("maximum");
        if (min && max) return " from " + rule.get("minimum") + " to " + rule.get("maximum");
        if (min) return " of at least " + rule.get("minimum");
        if (max) return " of at most " + rule.get("maximum");
        return "";
    }

    private static String names(JsonNode properties) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
            sb.append(sb.isEmpty() ? "" : ", ").append(it.next());
        }
        return sb.toString();
    }
}
