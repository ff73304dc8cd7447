package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "upload", description = "Upload a file and print its upload id (for a param such as digest's upload).")
final class UploadCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "FILE", description = "the file to upload; its name is kept as metadata")
    Path file;

    @Override
    public Integer call() {
        JsonNode upload = upload(client.api(), file);
        if (client.json) JobCommands.printJson(System.out, upload);
        else System.out.println(upload.path("id").asText());
        System.out.flush();
        return ExitCodes.SUCCEEDED;
    }

    /** Uploads {@code file}, or ends the command with a usage error when it is not a readable file. */
    static JsonNode upload(ApiClient api, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException(ExitCodes.USAGE, file + " is not a file this command can read");
        }
        return api.upload(file);
    }
}
