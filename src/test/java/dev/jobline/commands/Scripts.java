package dev.jobline.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.job.JobContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Real bash scripts and commands files in a test's folder, and a context that records what a handler reports. */
public final class Scripts {
    private Scripts() {}

    /** Writes an executable bash script. */
    public static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** Writes {"commands": [ ...entries ]} and returns its path. */
    public static Path commandsFile(Path dir, String... entries) throws IOException {
        Path p = dir.resolve("commands-" + System.nanoTime() + ".json");
        Files.writeString(p, "{\"commands\": [" + String.join(",\n", entries) + "]}");
        return p;
    }

    /** Whether a live process has {@code marker} in its command line. */
    public static boolean running(String marker) {
        return ProcessHandle.allProcesses().anyMatch(ph -> ph.isAlive()
                && ph.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    }

    /** A unique argument for sleep that marks the processes of one test: {@code sleep 86399.123456}. */
    public static String marker() {
        return "8639" + (System.nanoTime() % 10) + "." + (100000 + (long) (Math.random() * 899999));
    }

    /** What a handler told its job. */
    public static final class Recorded implements JobContext {
        public final List<String> progress = new CopyOnWriteArrayList<>();
        public final List<String> log = new CopyOnWriteArrayList<>();
        public final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public String jobId() {
            return "job-1";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public void progress(double percent, String message) {
            progress.add(percent + " " + message);
        }

        @Override
        public void progress(long done, long total, String message) {
            progress.add(done + "/" + total + " " + message);
        }

        @Override
        public void log(String stream, String text) {
            log.add(stream + ": " + text);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        /** The files of the uploads a test put here, by id. */
        public final Map<String, Path> uploads = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Path upload(String id) {
            Path p = uploads.get(id);
            if (p == null) throw new dev.jobline.job.JobFailedException("upload " + id + " is gone", "upload");
            return p;
        }

        @Override
        public String uploadName(String id) {
            return upload(id).getFileName().toString();
        }

        @Override
        public void throwIfCancelled() {
            if (cancelled.get()) throw new CancellationException("cancelled");
        }

        public static JsonNode json(String s) {
            try {
                return dev.jobline.json.Json.MAPPER.readTree(s);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
