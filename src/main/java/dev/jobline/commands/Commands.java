package dev.jobline.commands;

import dev.jobline.job.JobType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's declared commands ({@code --commands FILE}), each a job type whose handler runs
 * the program (see {@link CommandJob}), and the process groups they run now. {@link #close()}
 * ends the groups still running, so no process of a command outlives the server that started it.
 */
public final class Commands implements AutoCloseable {
    /** Built-in job types a command may not be named after. */
    public static final Set<String> BUILT_IN = Set.of("sleep", "digest");

    /** A commands file that cannot be used (or a program it needs that is missing); the message names the command and field. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    private final List<JobType> types = new ArrayList<>();
    private final Map<String, String> serverEnv;
    private final String setsid;
    private final String kill;
    private final Set<ProcessGroup> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Commands(Map<String, String> serverEnv, String setsid, String kill) {
        this.serverEnv = Map.copyOf(serverEnv);
        this.setsid = setsid;
        this.kill = kill;
    }

    /** No commands. */
    public static Commands none() {
        return new Commands(Map.of(), null, null);
    }

    /**
     * Reads and checks {@code file}. {@code taken}: names of the server's other types, which a command may
     * not use; {@code serverEnv}: the server's environment (PATH, HOME and LANG are passed on, nothing else).
     *
     * @throws Invalid naming the command and field that do not hold, or a missing setsid or kill
     */
    public static Commands load(Path file, Set<String> taken, Map<String, String> serverEnv) {
        return load(file, taken, serverEnv, serverEnv.getOrDefault("PATH", "") + ":/usr/bin:/bin");
    }

    /** As {@link #load(Path, Set, Map)}, looking for setsid and kill in {@code toolsPath}. */
    static Commands load(Path file, Set<String> taken, Map<String, String> serverEnv, String toolsPath) {
        Set<String> reserved = new java.util.HashSet<>(taken);
        reserved.addAll(BUILT_IN);
        List<Command> declared = CommandsFile.read(file, reserved, serverEnv.get("PATH"));
        String setsid = Executables.resolve("setsid", Path.of("/"), toolsPath, m -> new Invalid(
                "--commands needs setsid (from util-linux) to run each command in a process group of its own: " + m));
        String kill = Executables.resolve("kill", Path.of("/"), toolsPath, m -> new Invalid(
                "--commands needs kill (from procps) to signal a command's process group: " + m));
        Commands commands = new Commands(serverEnv, setsid, kill);
        for (Command c : declared) {
            commands.types.add(new JobType(c.name(), c.description(), c.params(), new CommandJob(c, commands), c.restartable(), c.retry()));
        }
        return commands;
    }

    public List<JobType> types() {
        return List.copyOf(types);
    }

    /** How many commands run now. */
    public int running() {
        return running.size();
    }

    /** SIGKILL to every command's group still running (after the drain gave them their time), waiting until each is gone. */
    @Override
    public void close() {
        closed = true;
        List<Thread> ends = new ArrayList<>();
        for (ProcessGroup g : List.copyOf(running)) ends.add(Thread.ofVirtual().start(g::killNow));
        for (Thread t : ends) {
            try {
                t.join(java.time.Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The command line that runs {@code argv} in a session and process group of its own. */
    List<String> launch(List<String> argv) {
        List<String> out = new ArrayList<>(List.of(setsid, "--"));
        out.addAll(argv);
        return out;
    }

    ProcessGroup started(Process leader) {
        ProcessGroup g = new ProcessGroup(leader, kill);
        running.add(g);
        if (closed) g.killNow(); // why: started as the server stopped, after close() looked
        return g;
    }

    void ended(ProcessGroup g) {
        running.remove(g);
    }

    Map<String, String> serverEnv() {
        return serverEnv;
    }
}
