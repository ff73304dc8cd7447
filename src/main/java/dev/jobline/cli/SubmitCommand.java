package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", description = "Start a job and print its id; --wait follows it to its end.")
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    FlowOptions flow = new FlowOptions();

    @Parameters(index = "0", paramLabel = "TYPE", description = "the job type (see: types)")
    String type;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "a param; numbers become numbers, true/false booleans, anything else a string. Repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--params-json", paramLabel = "JSON", description = "params as a JSON object; -p values are laid over it")
    String paramsJson;

    @Option(names = "--file", paramLabel = "FILE",
            description = "upload FILE first and pass its upload id as params.upload (for types such as digest)")
    java.nio.file.Path file;

    @Option(names = "--after", split = ",", paramLabel = "ID",
            description = "wait for these jobs (comma-separated ids, or repeat the option) to succeed before starting")
    java.util.List<String> after;

    @Option(names = "--wait", description = "follow the job to its end; the exit code tells how it ended")
    boolean await;

    @Option(names = "--cancel-on-interrupt", description = "with --wait: Ctrl-C cancels the job instead of leaving it running")
    boolean cancelOnInterrupt;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "the Idempotency-Key to send (default: a new random one for this command, reused by its retries)")
    String idempotencyKey = UUID.randomUUID().toString();

    @Override
    public Integer call() {
        ApiClient api = client.api();
        ObjectNode body = Json.MAPPER.createObjectNode().put("type", type);
        ObjectNode params = params();
        if (file != null) params.put("upload", UploadCommand.upload(api, file).path("id").asText());
        body.set("params", params);
        if (after != null && !after.isEmpty()) after.forEach(body.putArray("after")::add);
        flow.addTo(body);
        JsonNode job = api.submit(body, idempotencyKey);
        String id = job.path("id").asText();
        if (client.json) {
            if (!await) JobCommands.printJson(System.out, job);
        } else {
            System.out.println(id);
        }
        System.out.flush();
        if (!await) return ExitCodes.SUCCEEDED;
        return new Follower(api, FollowView.choose(client.json, System.out), System.err).follow(id, cancelOnInterrupt);
    }

    private ObjectNode params() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (paramsJson != null) {
            JsonNode parsed;
            try {
                parsed = Json.MAPPER.readTree(paramsJson);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "--params-json is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (parsed == null || !parsed.isObject()) throw new CliException(ExitCodes.USAGE, "--params-json must be a JSON object like {\"seconds\": 2}");
            out.setAll((ObjectNode) parsed);
        }
        params.forEach((k, v) -> out.set(k, typed(v)));
        return out;
    }

    /** {@code 2} and {@code 0.5} as numbers, {@code true}/{@code false} as booleans, anything else as the string it is. */
    static JsonNode typed(String value) {
        if (value.equals("true") || value.equals("false")) return Json.MAPPER.getNodeFactory().booleanNode(value.equals("true"));
        if (value.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            try {
                return Json.MAPPER.readTree(value);
            } catch (IOException e) {
                // not a number after all: a string
            }
        }
        return Json.MAPPER.getNodeFactory().textNode(value);
    }
}
