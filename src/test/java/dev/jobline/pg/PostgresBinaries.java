package dev.jobline.pg;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PostgreSQL server programs (initdb, pg_ctl, postgres) and how to run them. PostgreSQL refuses
 * to run as root, so when the tests run as root every program runs as the OS user {@code postgres}
 * through {@code runuser -u postgres --} (Debian's package creates that user).
 */
final class PostgresBinaries {
    static final String INSTALL_HINT = "install the PostgreSQL server, e.g. 'apt-get install postgresql' on Debian/Ubuntu"
            + " (scripts/install-test-deps.sh, run by ./test, does it when run as root),"
            + " or point JOBLINE_PG_BIN at a folder holding initdb, pg_ctl and postgres (PostgreSQL 13 or newer)";
    private static final int MIN_MAJOR = 13; // why: pg_current_xact_id() and pg_snapshot_xmin() are 13+
    private static final String RUN_AS = "postgres";

    private final Path bin;
    private final boolean asRoot;

    private PostgresBinaries(Path bin, boolean asRoot) {
        this.bin = bin;
        this.asRoot = asRoot;
    }

    /** Finds the binaries: $JOBLINE_PG_BIN, the newest /usr/lib/postgresql/N/bin (Debian), then PATH. */
    static PostgresBinaries find(boolean asRoot) {
        Path bin = candidates().filter(PostgresBinaries::hasServer).findFirst().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL server programs (initdb, pg_ctl, postgres) not found in $JOBLINE_PG_BIN,"
                        + " /usr/lib/postgresql/*/bin or PATH: " + INSTALL_HINT));
        if (asRoot) {
            checkRunAsUser();
        }
        String version = run(List.of(bin.resolve("postgres").toString(), "--version"), 30).trim();
        Matcher m = Pattern.compile("(\\d+)").matcher(version);
        int major = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (major < MIN_MAJOR) {
            throw new IllegalStateException("PostgreSQL in " + bin + " is '" + version + "'; the tests need "
                    + MIN_MAJOR + " or newer: " + INSTALL_HINT);
        }
        return new PostgresBinaries(bin, asRoot);
    }

    /** The OS user the server runs as, when the tests run as root; empty otherwise. */
    Optional<String> runAsUser() {
        return asRoot ? Optional.of(RUN_AS) : Optional.empty();
    }

    /** The path of a server program. */
    String program(String name) {
        return bin.resolve(name).toString();
    }

    /** The command line for a server program, prefixed with runuser when running as root. */
    List<String> command(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program(program));
        cmd.addAll(List.of(args));
        return asServerUser(cmd);
    }

    /** Any command line, run as the server's user (runuser when running as root, as is otherwise). */
    List<String> asServerUser(List<String> cmd) {
        if (!asRoot) {
            return cmd;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", RUN_AS, "--"));
        wrapped.addAll(cmd);
        return wrapped;
    }

    /** Runs a server program to its end and returns its output; throws with that output if it fails. */
    String exec(long timeoutSeconds, String program, String... args) {
        return run(command(program, args), timeoutSeconds);
    }

    static String run(List<String> cmd, long timeoutSeconds) {
        Path out = null;
        try {
            // why: output goes to a file, not a pipe, so a hung program cannot block us past the timeout
            out = Files.createTempFile("jobline-pg-cmd-", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(new File("/dev/null")).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + timeoutSeconds
                        + " s:\n" + Files.readString(out));
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + p.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // why: a leftover temp file is harmless
                }
            }
        }
    }

    private static void checkRunAsUser() {
        try {
            run(List.of("runuser", "-u", RUN_AS, "--", "true"), 30);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the tests run as root and PostgreSQL refuses root, so the server runs as the OS"
                    + " user '" + RUN_AS + "' through 'runuser -u " + RUN_AS + " --', which failed (Debian's postgresql"
                    + " package creates that user; runuser is in util-linux); or run the tests as a non-root user. "
                    + e.getMessage(), e);
        }
    }

    private static Stream<Path> candidates() {
        List<Path> dirs = new ArrayList<>();
        String env = System.getenv("JOBLINE_PG_BIN");
        if (env != null && !env.isBlank()) {
            dirs.add(Path.of(env));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .sorted(Comparator.comparingInt((Path v) -> Integer.parseInt(v.getFileName().toString())).reversed())
                        .forEach(v -> dirs.add(v.resolve("bin")));
            } catch (IOException ignored) {
                // why: an unreadable folder is as good as a missing one; PATH is tried next
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        return dirs.stream();
    }

    private static boolean hasServer(Path dir) {
        return Stream.of("initdb", "pg_ctl", "postgres").allMatch(p -> Files.isExecutable(dir.resolve(p)));
    }
}
