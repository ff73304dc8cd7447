package dev.jobline.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.job.ContentTypes;
import dev.jobline.job.InvalidParamsException;
import dev.jobline.job.JobFailedException;
import dev.jobline.job.ParamsSchema;
import dev.jobline.store.Upload;
import dev.jobline.store.UploadStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Uploaded files: the bytes in one folder under names the server makes (the upload's id), the
 * metadata in the store. A body is streamed to disk as it arrives, its SHA-256 computed on the
 * way, never held in memory; a body cut short or too large leaves no file behind. In a cluster
 * the folder must be one every node shares. Without a folder (the memory store) the files go to
 * a temporary one, removed on {@link #close()}.
 */
public final class Uploads implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BUFFER = 64 * 1024;

    private final UploadStore store;
    private final Path folder;
    private final boolean temporary;
    private final Duration retention;
    private final Supplier<Instant> now;

    /** @param folder where the files go, created when missing; null for a temporary folder */
    public Uploads(UploadStore store, Path folder, Duration retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.now = () -> clock.instant().truncatedTo(ChronoUnit.MILLIS);
        this.temporary = folder == null;
        try {
            this.folder = temporary ? Files.createTempDirectory("jobline-uploads") : Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the uploads folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The body was larger than the limit; nothing was kept. */
    public static final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("the upload is larger than this server accepts (" + limit + " bytes at most)");
        }
    }

    /** A client's name for a file, kept as metadata only: its last path segment, without control characters, at most 255 characters. */
    public static String cleanName(String raw) {
        if (raw == null) return "upload";
        String s = raw.replace('\\', '/');
        s = s.substring(s.lastIndexOf('/') + 1);
        s = s.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (s.isEmpty() || s.equals(".") || s.equals("..")) return "upload";
        return s.length() > 255 ? s.substring(0, s.offsetByCodePoints(0, 250)) : s;
    }

    /** Starts receiving a file; write its bytes, then {@link Receiving#finish()}; closing it unfinished removes what was written. */
    public Receiving receive(String owner, String name, String declaredType, long limit) throws IOException {
        return new Receiving(owner, cleanName(name), declaredType, limit);
    }

    /** Receives a whole stream; see {@link #receive(String, String, String, long)}. */
    public Upload receive(String owner, String name, String declaredType, long limit, InputStream in) throws IOException {
        try (Receiving r = receive(owner, name, declaredType, limit)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) >= 0; ) r.write(ByteBuffer.wrap(buf, 0, n));
            return r.finish();
        }
    }

    /** One file arriving: written to {@code ID.part}, moved to {@code ID} and recorded once complete. */
    public final class Receiving implements AutoCloseable {
        private final String id = UUID.randomUUID().toString();
        private final String owner, name, declaredType;
        private final long limit;
        private final Path part = folder.resolve(id + ".part");
        private final FileChannel out;
        private final MessageDigest sha256;
        private final ByteBuffer head = ByteBuffer.allocate(ContentTypes.HEAD);
        private long size;
        private boolean done;

        private Receiving(String owner, String name, String declaredType, long limit) throws IOException {
            this.owner = owner;
            this.name = name;
            this.declaredType = declaredType;
            this.limit = limit;
            this.sha256 = digest();
            this.out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        public void write(ByteBuffer bytes) throws IOException {
            size += bytes.remaining();
            if (size > limit) throw new TooLarge(limit);
            if (head.hasRemaining()) head.put(bytes.slice(bytes.position(), Math.min(head.remaining(), bytes.remaining())));
            sha256.update(bytes.duplicate());
            while (bytes.hasRemaining()) out.write(bytes);
        }

        /** Makes the file durable, names it and records it; the upload as clients see it. */
        public Upload finish() throws IOException {
            out.force(true);
            out.close();
            Files.move(part, folder.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            done = true;
            Instant at = now.get();
            Upload u = new Upload(id, name, size, HexFormat.of().formatHex(sha256.digest()), contentType(), at, owner);
            try {
                store.add(u, at.plus(retention));
            } catch (RuntimeException e) {
                Files.deleteIfExists(folder.resolve(id));
                throw e;
            }
            return u;
        }

        private String contentType() {
            String t = declaredType == null ? "" : declaredType.strip();
            String base = t.contains(";") ? t.substring(0, t.indexOf(';')).strip() : t;
            boolean vague = base.isEmpty() || base.equalsIgnoreCase(ContentTypes.BINARY)
                    || base.equalsIgnoreCase("application/x-www-form-urlencoded") || !base.matches("[\\w.+-]+/[\\w.+-]+");
            if (!vague && t.length() <= 200) return t;
            ByteBuffer h = head.duplicate().flip();
            ContentTypes.Text text = new ContentTypes.Text();
            text.update(h.array(), 0, h.limit());
            return ContentTypes.detect(h, name, text.isText(size <= ContentTypes.HEAD));
        }

        @Override
        public void close() throws IOException {
            if (done) return;
            out.close();
            Files.deleteIfExists(part);
        }
    }

    /** The uploads a job's params name (params of {@code "format": "upload"}), each checked to be one of the owner's. */
    List<String> usedBy(ObjectNode schema, ObjectNode params, String owner) {
        List<String> used = new ArrayList<>();
        for (String name : ParamsSchema.uploadParams(schema)) {
            JsonNode v = params.get(name);
            if (v == null) continue;
            if (find(v.asText()).filter(u -> Objects.equals(u.owner(), owner)).isEmpty()) throw notOurs(name, v.asText());
            used.add(v.asText());
        }
        return used;
    }

    /** The refusal of a job whose upload {@code id} went away between its check and its insert. */
    static InvalidParamsException gone(ObjectNode schema, ObjectNode params, String id) {
        String name = ParamsSchema.uploadParams(schema).stream().filter(p -> id.equals(params.path(p).asText())).findFirst().orElse("upload");
        return notOurs(name, id);
    }

    private static InvalidParamsException notOurs(String param, String id) {
        return new InvalidParamsException("params." + param + " must be the id of one of your uploads (POST /api/uploads), not '"
                + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "'");
    }

    /** For a handler: the file of an upload, or a JobFailedException that fails its job when the upload is gone. */
    Path fileFor(String id) {
        try {
            return path(id).toAbsolutePath();
        } catch (NoSuchFileException e) {
            throw new JobFailedException("upload " + id + " is gone", "upload");
        }
    }

    /** For a handler: the client's name of an upload; like {@link #fileFor}. */
    String nameFor(String id) {
        return find(id).orElseThrow(() -> new JobFailedException("upload " + id + " is gone", "upload")).name();
    }

    public Optional<Upload> find(String id) {
        return store.find(id);
    }

    public List<Upload> list(String owner, int limit) {
        return store.list(owner, limit);
    }

    /** Deletes an upload and its file, unless a queued or running job uses it. */
    public UploadStore.Removal remove(String id) {
        UploadStore.Removal r = store.remove(id);
        if (r == UploadStore.Removal.REMOVED) deleteFile(id);
        return r;
    }

    /** The file of an upload that exists; NoSuchFileException when there is none (or it was removed meanwhile). */
    public Path path(String id) throws NoSuchFileException {
        Path p = ID.matcher(id).matches() ? folder.resolve(id) : null;
        if (p == null || store.find(id).isEmpty() || !Files.isRegularFile(p)) throw new NoSuchFileException("no upload with id " + id);
        return p;
    }

    /**
     * Deletes expired uploads (unused for the retention time, or the last job using them deleted)
     * and their files, and partial files a crash left behind a day ago or more; how many uploads.
     */
    public int sweep() {
        removeStalePartials(now.get().minus(Duration.ofDays(1)));
        int n = 0;
        List<Upload> gone;
        do {
            gone = store.expire(now.get(), 1000);
            for (Upload u : gone) deleteFile(u.id());
            n += gone.size();
        } while (gone.size() == 1000);
        return n;
    }

    private void removeStalePartials(Instant before) {
        try (var files = Files.newDirectoryStream(folder, "*.part")) {
            for (Path p : files) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(before)) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for partial uploads in " + folder + ": " + e.getMessage(), e);
        }
    }

    private void deleteFile(String id) {
        try {
            Files.deleteIfExists(folder.resolve(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the file of upload " + id + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (!temporary) return;
        try (var files = Files.list(folder)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary uploads folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
