package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real jar refuses a commands file that does not hold: exit 3 and a message naming the command and the field. */
@Timeout(120)
class CommandsFileIT {
    @TempDir
    Path dir;

    private record Ran(int exit, String out) {}

    private Ran jar(java.util.Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(JoblineProcess.java(), "-jar", JoblineProcess.jar().toString(),
                "--port", "0", "--store", "memory"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBLINE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Ran(p.waitFor(), out);
    }

    @Test
    void aBadCommandsFileStopsTheServerAtStartWithExitThree() throws Exception {
        Path file = dir.resolve("commands.json");
        Files.writeString(file, """
                {"commands": [{"name": "backup", "run": ["/usr/local/bin/no-such-backup.sh", "--db", "{db}"],
                  "params": {"type": "object", "properties": {"db": {"type": "string"}}}}]}
                """);
        Ran flag = jar(java.util.Map.of(), "--commands", file.toString());
        assertThat(flag.exit()).as(flag.out()).isEqualTo(3);
        assertThat(flag.out()).startsWith("jobline: commands file " + file + ": commands[0] (backup): run[0] "
                + "'/usr/local/bin/no-such-backup.sh' is not an executable file").doesNotContain("Exception", "listening");

        Files.writeString(file, "{\"commands\": [{\"name\": \"sleep\", \"run\": [\"/bin/true\"]}]}");
        Ran env = jar(java.util.Map.of("JOBLINE_COMMANDS", file.toString()));
        assertThat(env.exit()).as(env.out()).isEqualTo(3);
        assertThat(env.out()).contains("commands[0] (sleep): name sleep is taken by a job type of the server itself");

        Ran missing = jar(java.util.Map.of(), "--commands", dir.resolve("none.json").toString());
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.out()).contains("none.json: cannot be read");
    }
}
