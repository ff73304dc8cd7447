package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "log", description = "Print a job's log: the lines it keeps, or with --follow every line until the job ends.")
final class LogCommand extends JobCommands.OnJob {
    @Option(names = {"-f", "--follow"}, description = "wait for new lines until the job ends; the exit code then tells how it ended")
    boolean follow;

    @Override
    public Integer call() {
        LogFollower logs = new LogFollower(client.api(), System.err);
        try {
            if (!follow) {
                logs.printKept(id, this::print);
                return ExitCodes.SUCCEEDED;
            }
            return logs.follow(id, this::print);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        }
    }

    private void print(JsonNode line) {
        if (client.json) JobCommands.printJson(System.out, line);
        else System.out.println(line.path("text").asText());
    }
}
