package dev.jobline.cli;

import dev.jobline.Config;
import dev.jobline.OptionValues;
import dev.jobline.ServeCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The jar's commands: {@code serve} (the default) and the client commands, {@code java -jar
 * jobline.jar COMMAND [options]}. {@link #run} returns the exit code: 0 succeeded, 1 failed (or
 * refused by the server), 2 cancelled, 3 usage error, 4 server unreachable or transport error, 5
 * no such job.
 */
@Command(name = "java -jar jobline.jar", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "Jobline 1",
        description = "Jobline: run long jobs and follow them. Without a command (or with 'serve') it is the server.",
        subcommands = {ServeCommand.class, SubmitCommand.class, WatchCommand.class, LogCommand.class, JobCommands.ListJobs.class, JobCommands.Get.class,
                JobCommands.Cancel.class, JobCommands.Delete.class, JobCommands.Types.class, JobCommands.Nodes.class,
                SchedulesCommand.class,
                UploadCommand.class, BatchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 succeeded, 1 failed (or refused by the server), 2 cancelled,",
                "3 usage error, 4 server unreachable or transport error, 5 no such job.",
                "Server options: java -jar jobline.jar serve --help"})
public final class Cli {
    private static final String COMMANDS_SECTION = "clientCommands";

    private Cli() {}

    /** Runs {@code args} with this process's environment, standard output and standard error. */
    public static int run(String... args) {
        return run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs {@code args}: {@code serve} when they are empty or start with an option. {@code env} gives
     * the server's options their defaults; {@code out} and {@code err} take help, usage errors and
     * the server's listening line (the client commands print their results on standard output).
     */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(env);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(serveByDefault(args));
    }

    private static String[] serveByDefault(String[] args) {
        if (args.length > 0 && !args[0].startsWith("-")) return args;
        List<String> withServe = new ArrayList<>(List.of("serve"));
        withServe.addAll(List.of(args));
        return withServe.toArray(String[]::new);
    }

    private static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new Cli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ServeCommand.class ? type.cast(new ServeCommand(env)) : CommandLine.defaultFactory().create(type);
            }
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine serve = cl.getSubcommands().get("serve");
        serve.setDefaultValueProvider(Config.environment(env));
        serve.setOverwrittenOptionsAllowed(true); // why: as Config.parse, the last --port wins, so a script may append one
        // why: the server's --help also lists the client commands, so one page shows all the jar does
        serve.getHelpSectionMap().put(COMMANDS_SECTION, help -> String.format("%nCommands (COMMAND --help shows each one's options):%n")
                + cl.getHelp().commandList());
        List<String> sections = new ArrayList<>(serve.getHelpSectionKeys());
        sections.add(sections.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), COMMANDS_SECTION);
        serve.setHelpSectionKeys(sections);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException c) {
                cmd.getErr().println("jobline: " + c.getMessage());
                return c.exitCode();
            }
            if (e instanceof Config.UsageException u) {
                cmd.getErr().println("jobline: " + u.getMessage());
                return ExitCodes.USAGE;
            }
            throw e;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("jobline: " + OptionValues.explain(e));
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return ExitCodes.USAGE;
        });
        return cl;
    }
}
