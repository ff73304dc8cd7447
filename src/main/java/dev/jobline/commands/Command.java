package dev.jobline.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One command an operator declared, checked: {@code run.get(0)} is an absolute path to an
 * executable file, every other element a literal argument or a whole {@code {param}} naming a
 * property of {@code params}.
 *
 * @param workdir where it runs; null for the server's working directory
 * @param timeout how long it may run; null for no limit
 * @param grace how long it has between SIGTERM and SIGKILL
 * @param retry how often a failed job of it runs again when its submit names no retry; null: it does not
 */
record Command(String name, String description, List<String> run, ObjectNode params, Path workdir,
               Map<String, String> env, Duration timeout, Duration grace, boolean restartable, dev.jobline.job.RetryPolicy retry) {

    Command(String name, String description, List<String> run, ObjectNode params, Path workdir,
            Map<String, String> env, Duration timeout, Duration grace, boolean restartable) {
        this(name, description, run, params, workdir, env, timeout, grace, restartable, null);
    }

    static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    Command {
        run = List.copyOf(run);
        env = Map.copyOf(env);
    }

    /** The name of the param an argument stands for when it is exactly {@code {name}}, else null. */
    static String placeholder(String arg) {
        if (arg.length() < 3 || arg.charAt(0) != '{' || arg.charAt(arg.length() - 1) != '}') return null;
        String name = arg.substring(1, arg.length() - 1);
        return name.indexOf('{') < 0 && name.indexOf('}') < 0 ? name : null;
    }
}
