package dev.jobline.web;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The request body limit, applied in Jetty before Javalin sees a request, so it holds for every
 * route, present and future. A declared {@code Content-Length} over the limit is answered 413 at
 * once, before any body byte is read, and the connection closes. A body of unknown length
 * (chunked) that passes the limit while streaming fails its read with a 413 {@link HttpException},
 * which {@link Problems} answers as the same problem. An upload ({@code POST /api/uploads}, and a
 * multipart {@code POST /api/jobs}) has its own, larger limit instead.
 */
final class BodyLimit extends Handler.Wrapper {
    /**
     * A body declared up to this large is read and thrown away before the 413: a client that sends
     * its body without waiting for {@code 100 Continue} (most do) would otherwise be reset while it
     * writes, and lose the answer. Larger ones are refused at once and their connection closed.
     */
    static final long DISCARD_UP_TO = 8L << 20;

    private final long maxBody;
    private final long maxUpload;

    BodyLimit(long maxBody, long maxUpload) {
        this.maxBody = maxBody;
        this.maxUpload = maxUpload;
    }

    /** Whether a request carries an upload: those stream to disk and answer to the upload limit. */
    static boolean isUpload(Request request) {
        if (!HttpMethod.POST.is(request.getMethod())) return false;
        String path = request.getHttpURI().getPath();
        if ("/api/uploads".equals(path)) return true;
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return "/api/jobs".equals(path) && type != null && type.regionMatches(true, 0, "multipart/form-data", 0, 19);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long maxBytes = isUpload(request) ? maxUpload : maxBody;
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > maxBytes && declared <= Math.max(DISCARD_UP_TO, maxBytes)) {
            Content.Source.consumeAll(request, Callback.from(
                    () -> Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge(maxBytes)),
                    failure -> callback.failed(failure)));
            return true;
        }
        if (declared > maxBytes) {
            // why: the body is never read, so the connection cannot carry another request
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge(maxBytes));
            return true;
        }
        // why: a declared length Jetty enforces itself, and without one or chunked coding there is no body
        if (declared >= 0 || !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return super.handle(request, response, callback);
        }
        return super.handle(new Counting(request, maxBytes), response, callback);
    }

    static String tooLarge(long maxBytes) {
        return Problems.TOO_LARGE + " (" + maxBytes + " bytes at most)";
    }

    /** Counts the bytes of a body of unknown length as they are read, and fails the read past the limit. */
    private static final class Counting extends Request.Wrapper {
        private final long maxBytes;
        private long read;
        private Content.Chunk failed; // why: once past the limit every later read answers the same failure

        Counting(Request wrapped, long maxBytes) {
            super(wrapped);
            this.maxBytes = maxBytes;
        }

        @Override
        public Content.Chunk read() {
            if (failed != null) return failed;
            Content.Chunk chunk = super.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) return chunk;
            read += chunk.remaining();
            if (read <= maxBytes) return chunk;
            chunk.release();
            failed = Content.Chunk.from(new HttpException.RuntimeException(HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge(maxBytes)), true);
            return failed;
        }
    }
}
