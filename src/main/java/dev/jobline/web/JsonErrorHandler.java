package dev.jobline.web;

import dev.jobline.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises before a request reaches Javalin (a malformed request line, a
 * URI or headers too large) as problem+json too, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";

    /** Every method gets its problem; Jetty's default writes a body only for GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(CONTENT_TYPE_OPTIONS, Problems.NOSNIFF);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        fields.put(CONTENT_TYPE_OPTIONS, Problems.NOSNIFF);
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int status, String message) {
        if (status == 413) {
            return Json.bytes(Problems.tooLarge(message != null && message.startsWith(Problems.TOO_LARGE) ? message : Problems.TOO_LARGE));
        }
        String title = HttpStatus.getMessage(status);
        String detail = switch (status) {
            case 414 -> "the request URI is longer than this server accepts";
            case 431 -> "the request headers are larger than this server accepts";
            case 400 -> "the request is not valid HTTP (its request line, URI or headers could not be read)";
            default -> "the request could not be answered: " + title;
        };
        return Json.bytes(Problem.of(status, "http-" + status, title, detail));
    }
}
