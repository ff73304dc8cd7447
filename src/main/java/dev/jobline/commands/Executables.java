package dev.jobline.commands;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Finds programs once, at start: a path with a slash from a folder, a bare name on a PATH. */
final class Executables {
    private Executables() {}

    /**
     * The absolute path of the executable file {@code name} means, or the exception {@code refuse}
     * makes from a message saying why there is none.
     */
    static String resolve(String name, Path folder, String path, Function<String, RuntimeException> refuse) {
        if (name.isBlank()) throw refuse.apply("must name a program");
        if (name.indexOf('/') >= 0) {
            Path p = folder.resolve(name).normalize();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
            throw refuse.apply("'" + name + "' is not an executable file" + (Files.exists(p) ? " (it exists; is its x bit set?)" : ""));
        }
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir).resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toAbsolutePath().toString();
        }
        throw refuse.apply("'" + name + "' is not on the server's PATH (" + path + ")");
    }
}
