package dev.jobline.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobline.job.JobType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** The commands file is checked at start; each refusal names the command and the field. */
class CommandsFileTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @TempDir
    Path dir;

    @BeforeEach
    void aScriptAndAFolder() throws Exception {
        Scripts.script(dir, "ok.sh", "exit 0\n");
        Files.writeString(dir.resolve("plain.txt"), "not executable");
        Files.createDirectories(dir.resolve("work"));
    }

    private List<Command> read(String json) throws Exception {
        Path file = dir.resolve("commands.json");
        Files.writeString(file, json);
        return CommandsFile.read(file, Set.of("sleep", "digest"), ENV.get("PATH"));
    }

    @Test
    void theContractsExampleIsReadWithItsDefaultsAndRelativePathsFromTheFilesFolder() throws Exception {
        List<Command> commands = read("""
                {"commands": [{
                  "name": "backup",
                  "description": "Dump one database to the backup folder",
                  "run": ["./ok.sh", "--db", "{db}", "--level", "{level}"],
                  "params": {"type": "object", "required": ["db"],
                             "properties": {"db": {"type": "string", "pattern": "^[a-z_]{1,32}$"},
                                            "level": {"type": "integer", "minimum": 1, "maximum": 9, "default": 6}}},
                  "workdir": "work", "env": {"LANG": "C.UTF-8"},
                  "timeout": "2h", "grace": "10s", "restartable": false, "retry": {"maxAttempts": 3}
                }, {"name": "tar", "run": ["tar", "--version"]}]}
                """);
        Command backup = commands.getFirst();
        assertThat(backup.run()).containsExactly(dir.resolve("ok.sh").toString(), "--db", "{db}", "--level", "{level}");
        assertThat(backup.workdir()).isEqualTo(dir.resolve("work"));
        assertThat(backup.env()).isEqualTo(Map.of("LANG", "C.UTF-8"));
        assertThat(backup.timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(backup.grace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(backup.retry().maxAttempts()).isEqualTo(3);
        assertThat(backup.retry().backoff()).as("the default backoff").isEqualTo(Duration.ofSeconds(1));
        Command tar = commands.get(1);
        assertThat(tar.run().getFirst()).as("a bare name is found on PATH").isIn("/usr/bin/tar", "/bin/tar");
        assertThat(tar.timeout()).isNull();
        assertThat(tar.grace()).isEqualTo(Command.DEFAULT_GRACE);
        assertThat(tar.restartable()).as("commands do not restart unless declared so").isFalse();
        assertThat(tar.workdir()).isNull();
    }

    @Test
    void eachCommandIsAJobTypeWithItsSchema() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"commands\": [{\"name\": \"ok\", \"description\": \"fine\", \"run\": [\"./ok.sh\"], \"restartable\": true}]}");
        JobType t = Commands.load(file, Set.of(), ENV).types().getFirst();
        assertThat(t.name()).isEqualTo("ok");
        assertThat(t.description()).isEqualTo("fine");
        assertThat(t.restartable()).isTrue();
        assertThat(t.paramsSchema().get("additionalProperties").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "[1, 2]                                                         | must be a JSON object with an array \"commands\"",
            "{\"commands\": [], \"extra\": 1}                               | unknown field 'extra'",
            "{\"commands\": [3]}                                            | commands[0] must be a JSON object",
            "{\"commands\": [{\"run\": [\"./ok.sh\"]}]}                     | commands[0]: name must be 1 to 64 letters",
            "{\"commands\": [{\"name\": \"a b\", \"run\": [\"./ok.sh\"]}]}  | commands[0]: name must be 1 to 64 letters",
            "{\"commands\": [{\"name\": \"sleep\", \"run\": [\"./ok.sh\"]}]} | commands[0] (sleep): name sleep is taken by a job type of the server itself",
            "{\"commands\": [{\"name\": \"digest\", \"run\": [\"./ok.sh\"]}]} | commands[0] (digest): name digest is taken by a job type of the server itself",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"]}, {\"name\": \"a\", \"run\": [\"./ok.sh\"]}]} | commands[1] (a): name a is declared twice",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"timout\": \"1s\"}]} | commands[0] (a): timout is not a field of a command",
            "{\"commands\": [{\"name\": \"a\"}]}                            | commands[0] (a): run must be a non-empty array of strings",
            "{\"commands\": [{\"name\": \"a\", \"run\": []}]}               | commands[0] (a): run must be a non-empty array of strings",
            "{\"commands\": [{\"name\": \"a\", \"run\": \"./ok.sh\"}]}      | commands[0] (a): run must be a non-empty array of strings",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\", 5]}]} | commands[0] (a): run[1] must be a string",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./missing.sh\"]}]} | commands[0] (a): run[0] './missing.sh' is not an executable file",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./plain.txt\"]}]} | commands[0] (a): run[0] './plain.txt' is not an executable file (it exists; is its x bit set?)",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"no-such-program-x\"]}]} | commands[0] (a): run[0] 'no-such-program-x' is not on the server's PATH",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"{x}\"]}]}        | commands[0] (a): run[0] must be the program's path, not a param",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\", \"{db}\"]}]} | commands[0] (a): run[1] '{db}' names no property of params",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"params\": {\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"string\", \"format\": \"email\"}}}}]} | commands[0] (a): params property x: the only format is \"upload\", of a string",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"params\": {\"type\": \"object\", \"properties\": {\"x\": {}}}}]} | commands[0] (a): params property x needs a type",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"params\": []}]} | commands[0] (a): params must be a JSON object",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"workdir\": \"nowhere\"}]} | commands[0] (a): workdir '",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"workdir\": 7}]} | commands[0] (a): workdir must be a string",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"env\": {\"A-B\": \"1\"}}]} | commands[0] (a): env 'A-B' is not a variable name",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"env\": {\"A\": 1}}]} | commands[0] (a): env.A must be a string",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"env\": [\"A=1\"]}]} | commands[0] (a): env must be a JSON object",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"env\": {\"A\": \"x\\u0000y\"}}]} | commands[0] (a): env.A holds a NUL character",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\", \"x\\u0000y\"]}]} | commands[0] (a): run[1] holds a NUL character",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"timeout\": \"2 hours\"}]} | commands[0] (a): timeout must be a duration like 500ms, 30s, 2m, 24h or 7d, not '2 hours'",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"timeout\": 60}]} | commands[0] (a): timeout must be a string",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"grace\": \"0s\"}]} | commands[0] (a): grace must be more than 0",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"restartable\": \"yes\"}]} | commands[0] (a): restartable must be true or false",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"], \"description\": 5}]} | commands[0] (a): description must be a string",
            "{\"commands\": [{\"name\": \"a\", \"run\": [\"./ok.sh\"],}]}   | not valid JSON"})
    void aBadFileIsRefusedNamingTheCommandAndTheField(String json, String message) throws Exception {
        assertThatThrownBy(() -> read(json)).isInstanceOf(Commands.Invalid.class)
                .hasMessageStartingWith("commands file " + dir.resolve("commands.json") + ": ")
                .hasMessageContaining(message.strip());
    }

    @Test
    void aFileThatCannotBeReadIsRefused() {
        assertThatThrownBy(() -> CommandsFile.read(dir.resolve("none.json"), Set.of(), "/usr/bin"))
                .isInstanceOf(Commands.Invalid.class).hasMessageContaining("none.json: cannot be read");
    }

    @Test
    void withoutSetsidOnTheMachineCommandsAreRefusedAtStartSayingWhatToInstall() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"commands\": [{\"name\": \"ok\", \"run\": [\"./ok.sh\"]}]}");
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> Commands.load(file, Set.of(), ENV, dir.resolve("empty").toString())).isInstanceOf(Commands.Invalid.class)
                .hasMessageStartingWith("--commands needs setsid (from util-linux) to run each command in a process group of its own: "
                        + "'setsid' is not on the server's PATH");
    }

    @Test
    void aCommandMayNotTakeTheNameOfAnotherTypeOfTheServer() throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"commands\": [{\"name\": \"mine\", \"run\": [\"./ok.sh\"]}]}");
        assertThatThrownBy(() -> Commands.load(file, Set.of("mine"), ENV)).hasMessageContaining("commands[0] (mine): name mine is taken by a job type of the server itself");
    }
}
