package dev.jobline.web;

import dev.jobline.engine.Uploads;
import dev.jobline.store.Upload;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.QuotedStringTokenizer;

/**
 * A {@code multipart/form-data} body read with Jetty's streaming parser: the part named
 * {@code file} goes straight to an upload on disk as it arrives; the few small text parts a route
 * names are kept (each at most {@code maxField} bytes); any other part is refused with 400.
 */
final class MultipartBody {
    private static final int BUFFER = 64 * 1024;
    private static final QuotedStringTokenizer DISPOSITION = QuotedStringTokenizer.builder().delimiters(";")
            .ignoreOptionalWhiteSpace().allowEmbeddedQuotes().allowEscapeOnlyForQuotes().build();

    /** The upload of the {@code file} part (null when there was none) and the text parts. */
    record Result(Upload file, Map<String, String> fields) {}

    private MultipartBody() {}

    static boolean is(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.regionMatches(true, 0, "multipart/form-data", 0, 19);
    }

    static Result read(Context ctx, Uploads uploads, String owner, long maxUpload, long maxField, Set<String> fields) throws IOException {
        String boundary = MultiPart.extractBoundary(ctx.contentType());
        if (boundary == null || boundary.isEmpty()) {
            throw Problem.badRequest("a multipart/form-data body needs a boundary in its Content-Type").toException();
        }
        Parts parts = new Parts(uploads, owner, maxUpload, maxField, fields);
        MultiPart.Parser parser = new MultiPart.Parser(boundary, parts);
        parser.setPartHeadersMaxLength(8 * 1024);
        parser.setMaxParts(16);
        try (parts) {
            InputStream in = ctx.req().getInputStream();
            byte[] buf = new byte[BUFFER];
            while (!parts.complete) {
                int n = in.read(buf);
                parser.parse(Content.Chunk.from(ByteBuffer.wrap(buf, 0, Math.max(n, 0)), n < 0));
                parts.rethrow();
                if (n < 0) break;
            }
            if (!parts.complete) throw Problem.badRequest("the multipart/form-data body ended before its closing boundary").toException();
            return new Result(parts.receiving == null ? null : parts.receiving.finish(), parts.texts());
        }
    }

    /** The parser's listener. Jetty swallows what a listener throws, so failures are kept and rethrown after each parse. */
    private static final class Parts implements MultiPart.Parser.Listener, AutoCloseable {
        private final Uploads uploads;
        private final String owner;
        private final long maxUpload;
        private final long maxField;
        private final Set<String> fields;
        private final Map<String, ByteArrayOutputStream> texts = new LinkedHashMap<>();
        private final Map<String, String> headers = new HashMap<>();
        private Uploads.Receiving receiving;
        private ByteArrayOutputStream text; // the text part being read, if any
        private boolean inFile;
        private Exception failure;
        boolean complete;

        Parts(Uploads uploads, String owner, long maxUpload, long maxField, Set<String> fields) {
            this.uploads = uploads;
            this.owner = owner;
            this.maxUpload = maxUpload;
            this.maxField = maxField;
            this.fields = fields;
        }

        @Override
        public void onPartBegin() {
            headers.clear();
            text = null;
            inFile = false;
        }

        @Override
        public void onPartHeader(String name, String value) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
        }

        @Override
        public void onPartHeaders() {
            if (failure != null) return;
            Map<String, String> params = new HashMap<>();
            String disposition = headers.get("content-disposition");
            if (disposition == null || !"form-data".equalsIgnoreCase(disposition(disposition, params))) {
                fail(Problem.badRequest("each part needs 'Content-Disposition: form-data; name=...'"));
                return;
            }
            String name = params.getOrDefault("name", "");
            try {
                if (name.equals("file")) {
                    if (receiving != null) throw Problem.badRequest("only one part may be named file").toException();
                    receiving = uploads.receive(owner, fileName(params), headers.get("content-type"), maxUpload);
                    inFile = true;
                } else if (fields.contains(name)) {
                    if (texts.containsKey(name)) throw Problem.badRequest("only one part may be named " + name).toException();
                    text = new ByteArrayOutputStream();
                    texts.put(name, text);
                } else {
                    String known = fields.isEmpty() ? "file" : "file, " + String.join(", ", fields);
                    throw Problem.badRequest("unknown part '" + clip(name) + "'; the parts are " + known).toException();
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        /**
         * The value of a Content-Disposition header, its parameters put in {@code params}. A
         * backslash escapes only a quote: browsers send a file's name as it is, and a Windows path
         * must keep its backslashes for the name to be cut to its last segment.
         */
        private static String disposition(String header, Map<String, String> params) {
            Iterator<String> tokens = DISPOSITION.tokenize(header);
            String value = tokens.hasNext() ? tokens.next().strip() : "";
            while (tokens.hasNext()) {
                String t = tokens.next();
                int eq = t.indexOf('=');
                if (eq > 0) params.put(t.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT), t.substring(eq + 1).strip());
            }
            return value;
        }

        private static String fileName(Map<String, String> params) {
            String encoded = params.get("filename*");
            if (encoded != null && encoded.regionMatches(true, 0, "UTF-8''", 0, 7)) {
                try {
                    return URLDecoder.decode(encoded.substring(7).replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return encoded;
                }
            }
            return params.get("filename");
        }

        @Override
        public void onPartContent(Content.Chunk chunk) {
            if (failure != null) return;
            ByteBuffer b = chunk.getByteBuffer();
            try {
                if (inFile) {
                    receiving.write(b);
                } else if (text != null) {
                    if (text.size() + b.remaining() > maxField) {
                        throw Problem.badRequest("part " + texts.entrySet().stream().filter(e -> e.getValue() == text)
                                .findFirst().map(Map.Entry::getKey).orElse("") + " is longer than " + maxField + " bytes").toException();
                    }
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    text.write(bytes);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        @Override
        public void onPartEnd() {
            inFile = false;
            text = null;
        }

        @Override
        public void onComplete() {
            complete = true;
        }

        @Override
        public void onFailure(Throwable t) {
            if (failure == null) failure = Problem.badRequest("the multipart/form-data body is malformed: " + t.getMessage()).toException();
        }

        private void fail(Problem p) {
            failure = p.toException();
        }

        void rethrow() throws IOException {
            if (failure == null) return;
            if (failure instanceof IOException io) throw io;
            throw (RuntimeException) failure;
        }

        Map<String, String> texts() {
            Map<String, String> out = new LinkedHashMap<>();
            texts.forEach((k, v) -> out.put(k, v.toString(StandardCharsets.UTF_8)));
            return out;
        }

        @Override
        public void close() throws IOException {
            if (receiving != null) receiving.close();
        }

        private static String clip(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }
    }
}
