package dev.jobline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobline.cli.Cli;
import dev.jobline.engine.Quotas;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheContract() {
        Config c = Config.defaults();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(7070);
        assertThat(c.data()).isEqualTo(Path.of("./data"));
        assertThat(c.store()).isEqualTo("sqlite");
        assertThat(c.maxWait()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.maxBodyBytes()).isEqualTo(1048576);
        assertThat(c.progressFlush()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.publicDir()).isNull();
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.tokens()).isNull();
        assertThat(c.maxActivePerOwner()).isNull();
        assertThat(c.allowNoTokens()).isFalse();
        assertThat(c.quotas()).as("without tokens no quota applies unless set").isEqualTo(Quotas.none());
    }

    @Test
    void declaringTokensTurnsOnTheContractsDefaultQuotasAndSetOnesWin() {
        Config on = Config.parse(new String[0], Map.of("JOBLINE_TOKENS", "alice user s1"));
        assertThat(on.quotas()).isEqualTo(new Quotas(1000, 100, 1000));
        Config set = Config.parse(new String[] {"--max-waiters-per-owner", "5"}, Map.of("JOBLINE_TOKENS", "alice user s1"));
        assertThat(set.quotas()).isEqualTo(new Quotas(1000, 100, 5));
        assertThat(Config.parse(new String[] {"--max-active-per-owner", "3"}, Map.of()).quotas()).isEqualTo(new Quotas(3, null, null));
    }

    @Test
    void everyOptionReadsItsEnvironmentVariable() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "alice user s1\n");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JOBLINE_HOST", "0.0.0.0");
        env.put("JOBLINE_PORT", "8000");
        env.put("JOBLINE_DATA", "/var/lib/jobline");
        env.put("JOBLINE_STORE", "memory");
        env.put("JOBLINE_MAX_WAIT", "2m");
        env.put("JOBLINE_MAX_QUEUED", "5");
        env.put("JOBLINE_MAX_RUNNING", "6");
        env.put("JOBLINE_MAX_WAITERS", "7");
        env.put("JOBLINE_MAX_BODY", "2048");
        env.put("JOBLINE_READ_TIMEOUT", "45s");
        env.put("JOBLINE_GRACE", "5s");
        env.put("JOBLINE_RETENTION", "7d");
        env.put("JOBLINE_PROGRESS_FLUSH", "1s");
        env.put("JOBLINE_PUBLIC_DIR", "public");
        env.put("JOBLINE_TOKENS_FILE", tokens.toString());
        env.put("JOBLINE_MAX_ACTIVE_PER_OWNER", "8");
        env.put("JOBLINE_MAX_SUBMITS_PER_SECOND_PER_OWNER", "9");
        env.put("JOBLINE_MAX_WAITERS_PER_OWNER", "10");
        env.put("JOBLINE_ALLOW_NO_TOKENS", "true");
        env.put("JOBLINE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/jobline?user=j&password=p");
        env.put("JOBLINE_NODE_ID", "node-a");
        env.put("JOBLINE_LEASE", "10s");
        env.put("JOBLINE_MAX_UPLOAD", "512MiB");
        env.put("JOBLINE_CALLBACK_ALLOW", "https://hooks.example/jobline/");
        env.put("JOBLINE_CALLBACK_SECRET", "s3cret");
        env.put("JOBLINE_CALLBACK_RETRY_FOR", "2h");
        env.put("JOBLINE_COMMANDS", "commands.json");
        env.put("JOBLINE_MAX_LOG_LINES", "500");
        env.put("JOBLINE_SCHEDULES", "schedules.json");
        env.put("JOBLINE_QUEUES", "emails=5, reports=2");
        env.put("JOBLINE_MAX_STREAM", "10m");
        env.put("JOBLINE_METRICS", "off");
        env.put("JOBLINE_ACCESS_LOG", "off");
        Config c = Config.parse(new String[0], env);
        assertThat(c).isEqualTo(new Config("0.0.0.0", 8000, Path.of("/var/lib/jobline"), "memory", Duration.ofMinutes(2), 5, 6, 7,
                2048, Duration.ofSeconds(45), Duration.ofSeconds(5), Duration.ofDays(7), Duration.ofSeconds(1), Path.of("public"), c.tokens(), 8, 9, 10, true,
                "jdbc:postgresql://127.0.0.1:5432/jobline?user=j&password=p", "node-a", Duration.ofSeconds(10), c.callbacks(),
                Path.of("commands.json"), 500, 512L << 20, Path.of("schedules.json"), Map.of("emails", 5, "reports", 2),
                Duration.ofMinutes(10), new Config.Monitoring(false, false)));
        assertThat(c.tokens().lookup("s1")).isPresent();
        assertThat(c.callbacks().policy().allows("https://hooks.example/jobline/x")).isTrue();
        assertThat(c.callbacks().signer()).isNotNull();
        assertThat(c.callbacks().retryFor()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void metricsAndTheAccessLogAreOnUnlessTurnedOffAndTakeOnlyOnOrOff() {
        assertThat(Config.defaults().monitoring()).isEqualTo(new Config.Monitoring(true, true));
        assertThat(Config.parse(new String[] {"--metrics", "off"}, Map.of("JOBLINE_ACCESS_LOG", "off")).monitoring())
                .isEqualTo(new Config.Monitoring(false, false));
        assertThatThrownBy(() -> Config.parse(new String[] {"--access-log", "yes"}, Map.of()))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("--access-log").hasMessageContaining("on or off");
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverDefaults() {
        Config c = Config.parse(new String[] {"--port=9000", "--max-wait", "2m"},
                Map.of("JOBLINE_PORT", "8000", "JOBLINE_STORE", "memory", "JOBLINE_GRACE", "5s"));
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.store()).isEqualTo("memory");
        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxWait()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aFlagWinsEvenOverAnEnvironmentValueThatWouldNotFitAndTheLastFlagWins() {
        Config c = Config.parse(new String[] {"--port", "9000", "--port", "9001"}, Map.of("JOBLINE_PORT", "not a port"));
        assertThat(c.port()).isEqualTo(9001);
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        assertThat(Config.parse(new String[0], Map.of("JOBLINE_PORT", "", "JOBLINE_PUBLIC_DIR", " ")).port()).isEqualTo(7070);
    }

    @Test
    void thePostgresStoreNeedsAPostgresUrlAndNodeNamesAreChecked() {
        assertThatThrownBy(() -> Config.parse(new String[] {"--store", "postgres"}, Map.of()))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("--store postgres needs --db-url");
        assertThatThrownBy(() -> Config.parse(new String[] {"--store", "postgres", "--db-url", "mysql://x"}, Map.of()))
                .hasMessageContaining("--db-url must start with jdbc:postgresql://");
        assertThatThrownBy(() -> Config.parse(new String[] {"--node-id", "a b"}, Map.of())).hasMessageContaining("--node-id must be");
        assertThat(Config.parse(new String[] {"--lease", "5s"}, Map.of()).engineOptions().lease()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Config.defaults().engineOptions().nodeId()).as("a host name and a random suffix").matches("[A-Za-z0-9._-]+-[0-9a-f]{6}");
    }

    @Test
    void theReadTimeoutComesFromAFlagOrTheEnvironmentAndMustBeMoreThanZero() {
        assertThat(Config.parse(new String[] {"--read-timeout", "5s"}, Map.of()).readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Config.parse(new String[0], Map.of("JOBLINE_READ_TIMEOUT", "750ms")).readTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThatThrownBy(() -> Config.parse(new String[] {"--read-timeout", "0s"}, Map.of()))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("--read-timeout must be more than 0");
    }

    @Test
    void tokensComeFromAFileOrFromTheEnvironment() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "alice user s1\n");
        assertThat(Config.parse(new String[] {"--tokens", file.toString()}, Map.of()).tokens().lookup("s1")).isPresent();
        assertThat(Config.parse(new String[0], Map.of("JOBLINE_TOKENS_FILE", file.toString())).tokens().lookup("s1")).isPresent();
        assertThat(Config.parse(new String[0], Map.of("JOBLINE_TOKENS", "bob admin s2")).tokens().lookup("s2")).isPresent();
        assertThatThrownBy(() -> Config.parse(new String[] {"--tokens", dir.resolve("missing").toString()}, Map.of()))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("cannot read the tokens file");
    }

    @Test
    void badValuesAreUsageErrorsThatNameTheOptionAndTheRule() {
        assertThatThrownBy(() -> Config.parse(new String[] {"--port", "x"}, Map.of()))
                .isInstanceOf(Config.UsageException.class).hasMessage("--port must be a whole number from 0 to 65535, not 'x'");
        assertThatThrownBy(() -> Config.parse(new String[] {"--max-body=10"}, Map.of()))
                .hasMessage("--max-body must be a whole number from 1024 to 2147483647, not '10'");
        assertThatThrownBy(() -> Config.parse(new String[] {"--store", "redis"}, Map.of())).hasMessage("--store must be sqlite, memory or postgres, not 'redis'");
        assertThatThrownBy(() -> Config.parse(new String[] {"--grace", "soon"}, Map.of()))
                .hasMessage("--grace must be a duration like 500ms, 30s, 2m, 24h or 7d, not 'soon'");
        assertThatThrownBy(() -> Config.parse(new String[] {"--allow-no-tokens", "yes"}, Map.of())).hasMessageStartingWith("--allow-no-tokens must be true or false");
        assertThatThrownBy(() -> Config.parse(new String[] {"--max-waiters-per-owner", "0"}, Map.of())).hasMessageStartingWith("--max-waiters-per-owner must be");
        assertThatThrownBy(() -> Config.parse(new String[] {"--max-log-lines", "0"}, Map.of())).hasMessageStartingWith("--max-log-lines must be");
        assertThatThrownBy(() -> Config.parse(new String[] {"--queues", "emails=0"}, Map.of()))
                .hasMessage("--queues the limit of queue emails must be a whole number from 1, not '0'");
        assertThatThrownBy(() -> Config.parse(new String[] {"--queues", "emails"}, Map.of())).hasMessageStartingWith("--queues must be name=LIMIT");
        assertThatThrownBy(() -> Config.parse(new String[] {"--queues", "default=3"}, Map.of())).hasMessageStartingWith("--queues must be");
        assertThatThrownBy(() -> Config.parse(new String[] {"--nope", "1"}, Map.of())).hasMessageContaining("nknown option").hasMessageContaining("--nope");
        assertThatThrownBy(() -> Config.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("--port");
        assertThatThrownBy(() -> Config.parse(new String[] {"stray"}, Map.of())).hasMessageContaining("'stray'");
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariableToo() {
        assertThatThrownBy(() -> Config.parse(new String[0], Map.of("JOBLINE_MAX_WAIT", "forever")))
                .hasMessage("--max-wait (from JOBLINE_MAX_WAIT) must be a duration like 500ms, 30s, 2m, 24h or 7d, not 'forever'");
    }

    private record Ran(int exit, String out, String err) {}

    private static Ran jobline(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Ran(exit, out.toString(), err.toString());
    }

    @Test
    void onTheCommandLineAnUnknownOptionOrABadValueExitsThreeNamingIt() {
        for (String[] args : new String[][] {{"--nope"}, {"serve", "--nope"}}) {
            Ran r = jobline(Map.of(), args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(3);
            assertThat(r.err()).contains("jobline: ", "--nope", "serve --help").doesNotContain("Exception");
        }
        Ran fromEnv = jobline(Map.of("JOBLINE_PORT", "x"));
        assertThat(fromEnv.exit()).isEqualTo(3);
        assertThat(fromEnv.err()).startsWith("jobline: --port (from JOBLINE_PORT) must be a whole number from 0 to 65535, not 'x'");
        Ran unreadable = jobline(Map.of(), "--tokens", dir.resolve("missing").toString());
        assertThat(unreadable.exit()).isEqualTo(3);
        assertThat(unreadable.err()).startsWith("jobline: cannot read the tokens file");
    }

    @Test
    void helpShowsEveryServerOptionWithItsDefaultAndTheClientCommands() {
        for (String[] args : new String[][] {{"--help"}, {"serve", "--help"}, {"-h"}}) {
            Ran help = jobline(Map.of(), args);
            assertThat(help.exit()).as(String.join(" ", args)).isZero();
            for (String[] option : readmeOptions()) assertThat(help.out()).as(option[0]).contains(option[0] + "=");
            assertThat(help.out()).contains("Default: 120s", "JOBLINE_MAX_WAIT", "JOBLINE_TOKENS_FILE",
                    "submit", "watch", "list", "types", "Exit codes").doesNotContain("Default: null");
        }
    }

    /** Every row of the README's options table: option, default. */
    static List<String[]> readmeOptions() {
        try {
            String readme = Files.readString(Path.of("README.md"));
            String table = readme.substring(readme.indexOf("| option | default | meaning |"));
            table = table.substring(0, table.indexOf("\n\n"));
            Matcher m = Pattern.compile("(?m)^\\| `(--[a-z-]+)` \\| ([^|]+) \\|").matcher(table);
            List<String[]> rows = new java.util.ArrayList<>();
            while (m.find()) rows.add(new String[] {m.group(1), m.group(2).strip()});
            return rows;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theReadmeTableListsEveryServerOptionWithItsDefault() {
        Map<String, String> declared = new LinkedHashMap<>();
        new picocli.CommandLine(new Config.Options()).getCommandSpec().options()
                .forEach(o -> declared.put(o.longestName(), o.defaultValue()));
        Map<String, String> documented = new LinkedHashMap<>();
        readmeOptions().forEach(row -> documented.put(row[0], row[1]));
        assertThat(documented.keySet()).containsExactlyElementsOf(declared.keySet());
        declared.forEach((option, byDefault) -> {
            if (byDefault == null) assertThat(documented.get(option)).as(option).endsWith("none");
            else assertThat(documented.get(option)).as(option).isEqualTo("`" + byDefault + "`");
        });
    }

    @Test
    void withoutTokensTheServerRefusesToListenBeyondLoopback() {
        Config open = Config.parse(new String[] {"--host", "0.0.0.0", "--port", "0", "--store", "memory"}, Map.of());
        assertThatThrownBy(() -> Jobline.start(open)).isInstanceOf(Config.UsageException.class)
                .hasMessageContaining("loopback only");
    }
}
