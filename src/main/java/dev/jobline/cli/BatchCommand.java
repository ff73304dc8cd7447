package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "batch", description = "Start a batch from FILE (a JSON list of submits, like [{\"type\": \"sleep\"}]), print its id"
        + " and follow it to its end as one bar; the exit code tells how the batch ended.")
final class BatchCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "FILE", description = "a JSON array of submits ({\"type\", \"params\", \"after\"}); - reads standard input")
    String file;

    @Option(names = "--no-wait", description = "print the batch's id and return without following it")
    boolean noWait;

    @Option(names = "--cancel-on-interrupt", description = "Ctrl-C cancels the batch (and its jobs) instead of leaving it running")
    boolean cancelOnInterrupt;

    @Override
    public Integer call() {
        ApiClient api = client.api();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("jobs", read());
        JsonNode parent = api.submitBatch(body, UUID.randomUUID().toString()); // why: one key per command, the same on its retries
        String id = parent.path("id").asText();
        if (client.json) {
            if (noWait) JobCommands.printJson(System.out, parent);
        } else {
            System.out.println(id);
        }
        System.out.flush();
        if (noWait) return ExitCodes.SUCCEEDED;
        return new Follower(api, FollowView.choose(client.json, System.out), System.err).follow(id, cancelOnInterrupt);
    }

    private JsonNode read() {
        JsonNode jobs;
        try {
            byte[] raw = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            jobs = Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JacksonException j ? "is not valid JSON: " + j.getOriginalMessage()
                    : "cannot be read: " + e.getMessage();
            throw new CliException(ExitCodes.USAGE, file + " " + why);
        }
        if (jobs != null && jobs.isObject() && jobs.has("jobs")) jobs = jobs.get("jobs");
        if (jobs == null || !jobs.isArray()) throw new CliException(ExitCodes.USAGE, file + " must hold a JSON array of submits like [{\"type\": \"sleep\"}]");
        return jobs;
    }
}
