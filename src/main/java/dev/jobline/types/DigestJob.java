package dev.jobline.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.ContentTypes;
import dev.jobline.job.JobContext;
import dev.jobline.job.JobType;
import dev.jobline.job.ParamsSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The built-in {@code digest} type: reads an upload once, in a loop over one fixed buffer, and
 * returns its size, the digests asked for, its content type (from its first bytes and name) and
 * its line count (null for binary content). Progress is bytes done of total, reported about ten
 * times a second; a cancel stops it between two reads. Memory stays flat whatever the file's size.
 */
public final class DigestJob {
    private static final Map<String, String> ALGORITHMS = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256", "sha512", "SHA-512");
    private static final int BUFFER = 256 * 1024;
    private static final long REPORT_EVERY_NANOS = 100_000_000;

    private DigestJob() {}

    public static JobType type() {
        ObjectNode schema = ParamsSchema.emptyObject();
        ObjectNode props = (ObjectNode) schema.get("properties");
        props.putObject("upload").put("type", "string").put("format", ParamsSchema.UPLOAD)
                .put("description", "the file to read: an upload's id (POST /api/uploads), or a file chosen here");
        ObjectNode algorithms = props.putObject("algorithms").put("type", "array").put("minItems", 1)
                .put("description", "the digests to compute, each one of md5, sha1, sha256, sha512");
        algorithms.putObject("items").put("type", "string").putArray("enum").add("md5").add("sha1").add("sha256").add("sha512");
        algorithms.putArray("default").add("sha256");
        schema.putArray("required").add("upload");
        return JobType.of("digest", "Reads an upload once: its size, digests (md5, sha1, sha256, sha512), content type and lines.",
                schema, DigestJob::run);
    }

    static Object run(JobContext ctx, JsonNode params) throws IOException {
        String id = params.get("upload").asText();
        Path file = ctx.upload(id);
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode a : params.get("algorithms")) names.add(a.asText());
        MessageDigest[] digests = names.stream().map(DigestJob::digest).toArray(MessageDigest[]::new);
        ContentTypes.Text text = new ContentTypes.Text();
        ByteBuffer head = ByteBuffer.allocate(ContentTypes.HEAD);
        byte[] buf = new byte[BUFFER];
        long total = Files.size(file);
        long done = 0;
        long reported = System.nanoTime();
        ctx.progress(0, total, "0 of " + bytes(total));
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                ctx.throwIfCancelled();
                for (MessageDigest d : digests) d.update(buf, 0, n);
                text.update(buf, 0, n);
                if (head.hasRemaining()) head.put(buf, 0, Math.min(n, head.remaining()));
                done += n;
                long now = System.nanoTime();
                if (now - reported >= REPORT_EVERY_NANOS) {
                    reported = now;
                    ctx.progress(done, Math.max(total, done), bytes(done) + " of " + bytes(Math.max(total, done)));
                }
            }
        }
        ctx.progress(done, done, bytes(done) + " of " + bytes(done));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("size", done);
        int i = 0;
        for (String name : names) result.put(name, HexFormat.of().formatHex(digests[i++].digest()));
        boolean isText = text.isText(true);
        result.put("contentType", ContentTypes.detect(head.flip(), ctx.uploadName(id), isText));
        result.put("lines", isText ? text.lines() : null);
        return result;
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(ALGORITHMS.get(name));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every JDK", e);
        }
    }

    private static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1f KiB", n / 1024.0);
        if (n < 1024L * 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1f MiB", n / 1048576.0);
        return String.format(java.util.Locale.ROOT, "%.2f GiB", n / 1073741824.0);
    }
}
