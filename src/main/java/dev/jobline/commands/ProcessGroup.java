package dev.jobline.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command's child and every process it started: the child runs under {@code setsid}, which
 * makes it the leader of a new session and process group whose id is its pid (setsid does not
 * fork: a child the JDK starts is never a group leader), so one {@code kill -SIG -- -PGID}
 * reaches every descendant that stayed in the group. A descendant that moved to a group of its
 * own within the session (a script's {@code set -m} job control does that) is found in /proc by
 * its session id and signalled by itself; only one that left the session (its own
 * {@code setsid}) escapes. Signals also go to the leader itself, for the moment before setsid has run.
 */
final class ProcessGroup {
    private static final Path PROC = Path.of("/proc");

    private final Process leader;
    private final String kill;

    ProcessGroup(Process leader, String kill) {
        this.leader = leader;
        this.kill = kill;
    }

    long pgid() {
        return leader.pid();
    }

    /** Whether the leader or any other process of its session still runs (a zombie does not). */
    boolean alive() {
        return leader.isAlive() || !members(pgid()).isEmpty();
    }

    /**
     * SIGTERM to the group; SIGKILL to what is left of it after {@code grace}, or at once when
     * interrupted meanwhile; then waits (at most 5 s more) until none is left. Keeps the
     * thread's interrupt for the caller. Returns whether SIGKILL was needed.
     */
    boolean stop(Duration grace) {
        boolean interrupted = Thread.interrupted();
        boolean killed = false;
        if (alive()) {
            signal("TERM");
            interrupted |= !waitForEnd(grace);
            if (alive()) {
                killed = true;
                killNow();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return killed;
    }

    /** SIGKILL to the group, and waits (at most 5 s) until none is left. */
    void killNow() {
        signal("KILL");
        boolean interrupted = Thread.interrupted();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (alive() && System.nanoTime() < until) {
            try {
                pause();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** False when interrupted before the group ended or the time passed. */
    private boolean waitForEnd(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        try {
            while (alive() && System.nanoTime() < until) pause();
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void pause() throws InterruptedException {
        if (leader.isAlive()) leader.waitFor(50, TimeUnit.MILLISECONDS);
        else Thread.sleep(20);
    }

    private void signal(String sig) {
        try {
            ProcessBuilder pb = new ProcessBuilder(kill, "-" + sig, "--", "-" + pgid()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            Process p = pb.start();
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // why: the leader is still signalled below; the group check then tells whether anything is left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sig.equals("KILL")) leader.destroyForcibly();
        else leader.destroy();
        for (long pid : members(pgid())) {
            // why: ProcessHandle checks the process's start time, so a pid used again by another process is left alone
            ProcessHandle.of(pid).ifPresent(ph -> {
                if (sig.equals("KILL")) ph.destroyForcibly();
                else ph.destroy();
            });
        }
    }

    /** The live (not zombie) processes of session {@code sid}, from /proc/PID/stat. */
    static List<Long> members(long sid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                String stat;
                try {
                    stat = new String(Files.readAllBytes(dir.resolve("stat")), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    continue; // why: it ended while we looked
                }
                // pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses, so read from the last ')'
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
                if (f.length >= 4 && f[3].equals(Long.toString(sid)) && !f[0].equals("Z") && !f[0].equals("X")) {
                    out.add(Long.parseLong(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            // why: no /proc to read: the group kill and the leader's exit are all we can go by
        }
        return out;
    }
}
