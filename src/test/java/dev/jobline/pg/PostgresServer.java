package dev.jobline.pg;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, started by the tests themselves from the PostgreSQL installed on
 * the machine (Debian's {@code postgresql} package; {@code ./test} installs it when missing).
 *
 * <p>{@link #shared()} gives one server per JVM: created on first use in a fresh temporary folder (data,
 * unix socket and {@link #logFile() log}), listening on 127.0.0.1 only, on a free port that stays the
 * same across {@link #restart()}, and gone with the JVM (a shutdown hook, and a watchdog process that
 * stops it even if the JVM is killed). Each test takes its own database with {@link #newDatabase()},
 * whose URL carries a user and password and so works from a child process too. As root the server runs
 * as the OS user {@code postgres}, since PostgreSQL refuses root.
 *
 * <pre>{@code
 * String url = PostgresServer.shared().newDatabase();   // jdbc:postgresql://127.0.0.1:PORT/testN?user=..&password=..
 * try (Connection c = DriverManager.getConnection(url)) { ... }
 * JoblineProcess.start(dir, "--store", "postgres", "--db-url", url);   // a child process uses the same URL
 * }</pre>
 *
 * <p>{@link #restart()}, {@link #stop()} and {@link #start()} act on the one server every test of the
 * JVM shares, so a test that calls them restores a running server before it ends.
 *
 * <p>Every method throws {@link IllegalStateException} with a message naming the cause (and what to
 * install, when PostgreSQL is missing).
 */
public final class PostgresServer {
    private static final String USER = "jobline";
    private static final ReentrantLock SHARED_LOCK = new ReentrantLock();
    private static PostgresServer shared; // guarded by SHARED_LOCK
    private static RuntimeException sharedFailure; // guarded by SHARED_LOCK

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger databases = new AtomicInteger();
    private final PostgresBinaries binaries;
    private final Path root;
    private final Path data;
    private final Path log;
    private final String password;
    private final Process watchdog; // why: held so its stdin stays open; it stops the server when the JVM dies
    private int port; // set once, by the first start
    private boolean running; // guarded by lock

    private PostgresServer(PostgresBinaries binaries, Path root, Process watchdog, String password) {
        this.binaries = binaries;
        this.root = root;
        this.data = root.resolve("data");
        this.log = root.resolve("postgres.log");
        this.watchdog = watchdog;
        this.password = password;
    }

    /** The server of this JVM, created and started on first use. A failure to start is remembered and rethrown. */
    public static PostgresServer shared() {
        SHARED_LOCK.lock();
        try {
            if (shared == null && sharedFailure == null) {
                try {
                    shared = create();
                } catch (RuntimeException e) {
                    sharedFailure = e;
                }
            }
            if (sharedFailure != null) {
                throw new IllegalStateException("no PostgreSQL server for the tests: " + sharedFailure.getMessage(), sharedFailure);
            }
            return shared;
        } finally {
            SHARED_LOCK.unlock();
        }
    }

    /** Creates a fresh, empty database and returns {@code jdbc:postgresql://127.0.0.1:PORT/NAME?user=U&password=P}. */
    public String newDatabase() {
        String name = "test" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on PostgreSQL at 127.0.0.1:" + port
                    + (isRunning() ? "" : " (the server is stopped)") + ": " + e.getMessage() + "; log: " + log, e);
        }
        return url(name);
    }

    /** Stops the server (fast shutdown: open sessions are cut) and starts it again on the same port and data. */
    public void restart() {
        lock.lock();
        try {
            stop();
            start();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the server, cutting open sessions; does nothing if it is stopped. */
    public void stop() {
        lock.lock();
        try {
            if (running) {
                binaries.exec(60, "pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "50", "stop");
                running = false;
            }
        } catch (IllegalStateException e) {
            throw new IllegalStateException("could not stop PostgreSQL: " + e.getMessage() + logTail(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Starts the server on its port and waits until it accepts connections; does nothing if it runs. */
    public void start() {
        lock.lock();
        try {
            if (!running) {
                binaries.exec(90, "pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", "80",
                        "-o", "-p " + port, "start");
                running = true;
            }
        } catch (IllegalStateException e) {
            throw new IllegalStateException("could not start PostgreSQL on 127.0.0.1:" + port + ": " + e.getMessage() + logTail(), e);
        } finally {
            lock.unlock();
        }
    }

    public boolean isRunning() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    public int port() {
        return port;
    }

    /** The server's log, to read when a test fails. */
    public Path logFile() {
        return log;
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER + "&password=" + password;
    }

    private static PostgresServer create() {
        Path root;
        try {
            root = Files.createTempDirectory("jobline-pg-");
        } catch (IOException e) {
            throw new IllegalStateException("could not create a temporary folder: " + e.getMessage(), e);
        }
        PostgresServer server = null;
        try {
            boolean asRoot = ((Integer) Files.getAttribute(root, "unix:uid")) == 0;
            PostgresBinaries binaries = PostgresBinaries.find(asRoot);
            if (binaries.runAsUser().isPresent()) {
                handOver(root, binaries.runAsUser().get(), binaries);
            }
            String password = randomPassword();
            initdb(binaries, root, password);
            // why: stdin is a pipe only this JVM holds; when the JVM ends, however it ends, cat returns
            Process watchdog = new ProcessBuilder(binaries.asServerUser(List.of("sh", "-c",
                    "cat >/dev/null; \"$0\" -D \"$1\" stop -m immediate >/dev/null 2>&1; rm -rf \"$2\"",
                    binaries.program("pg_ctl"), root.resolve("data").toString(), root.toString())))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
            server = new PostgresServer(binaries, root, watchdog, password);
            server.firstStart();
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "postgres-server-stop"));
            return server;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.destroy();
            } else {
                deleteTree(root);
            }
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(e.getMessage(), e);
        }
    }

    private void firstStart() {
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            try {
                start();
                return;
            } catch (IllegalStateException e) {
                // why: the port was free when picked, but someone may bind it before the server does
                if (attempt == 5 || !e.getMessage().contains("could not bind")) {
                    throw e;
                }
            }
        }
    }

    private static void initdb(PostgresBinaries binaries, Path root, String password) throws IOException {
        Path pwfile = root.resolve("password");
        Files.writeString(pwfile, password);
        binaries.runAsUser().ifPresent(u -> setOwner(pwfile, u));
        // -N: initdb's own files are not synced (faster start)
        binaries.exec(120, "initdb", "-D", root.resolve("data").toString(), "-U", USER, "--pwfile=" + pwfile,
                "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "-N");
        Files.delete(pwfile);
        Files.writeString(root.resolve("data/postgresql.conf"), String.join("\n", "",
                "# added by dev.jobline.pg.PostgresServer for the tests",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + root + "'",
                "max_connections = 200",
                "shared_buffers = 32MB",
                // why: the tests stop and restart the server, and kill its clients, never the machine: every commit still
                // reaches the operating system before it returns, and only an operating-system crash could lose it. Without
                // the flushes, a loaded machine's disk no longer makes a fast shutdown outlast pg_ctl's wait
                "fsync = off",
                "password_encryption = 'scram-sha-256'",
                "log_line_prefix = '%m [%p] %q%u@%d '",
                ""), StandardOpenOption.APPEND);
    }

    private void destroy() {
        lock.lock();
        try {
            // why: also when not known to run, since a start that timed out may have left a server behind
            binaries.exec(30, "pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "20", "stop");
        } catch (IllegalStateException ignored) {
            // why: nothing was running, or the watchdog stops it once this JVM is gone
        } finally {
            running = false;
            lock.unlock();
        }
        deleteTree(root);
        try {
            OutputStream stdin = watchdog.getOutputStream();
            stdin.close();
        } catch (IOException ignored) {
            // why: the watchdog ends with the JVM anyway
        }
    }

    /** Makes the folder the server user's, and checks that user can reach it (java.io.tmpdir may be private). */
    private static void handOver(Path root, String user, PostgresBinaries binaries) {
        setOwner(root, user);
        try {
            PostgresBinaries.run(binaries.asServerUser(List.of("test", "-w", root.toString())), 30);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the OS user '" + user + "' cannot write " + root + " (a folder in java.io.tmpdir);"
                    + " point java.io.tmpdir at a folder every user can reach, such as /tmp", e);
        }
    }

    private static void setOwner(Path path, String user) {
        try {
            UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            Files.setOwner(path, owner);
        } catch (IOException e) {
            throw new IllegalStateException("could not give " + path + " to the OS user '" + user + "': " + e, e);
        }
    }

    /** A free loopback port below the usual ephemeral range, so no outgoing connection takes it during a restart. */
    private static int freePort() {
        for (int i = 0; i < 50; i++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    private static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\nlast lines of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return " (no log at " + log + ")";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // why: a leftover temporary folder is harmless
        }
    }
}
