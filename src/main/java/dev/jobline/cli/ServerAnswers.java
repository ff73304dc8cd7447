package dev.jobline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.io.IOException;

/** Reads the server's answers: JSON bodies, and problem+json refusals turned into exit codes. */
final class ServerAnswers {
    private ServerAnswers() {}

    static JsonNode parse(String body, String base) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new CliException(ExitCodes.TRANSPORT, base + " answered something that is not JSON; is it a Jobline server?");
        }
    }

    /** The exception that ends a command for a non-2xx answer, with the problem's detail as the message. */
    static CliException refusal(int status, String body) {
        String detail = "the server answered " + status;
        try {
            JsonNode p = Json.MAPPER.readTree(body);
            if (p != null && p.hasNonNull("detail")) detail = p.get("detail").asText() + " (" + status + ")";
        } catch (IOException ignored) {
            // not problem+json: the status alone
        }
        int code = switch (status) {
            case 404 -> ExitCodes.NO_SUCH_JOB;
            case 400, 401, 403, 413, 422 -> ExitCodes.USAGE;
            default -> status >= 500 ? ExitCodes.TRANSPORT : ExitCodes.FAILED;
        };
        return new CliException(code, detail);
    }
}
