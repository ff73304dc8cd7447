package dev.jobline.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The client commands: {@code java -jar jobline.jar COMMAND [options]}. {@link #run} returns the
 * exit code: 0 succeeded, 1 failed (or refused by the server), 2 cancelled, 3 usage error, 4
 * server unreachable or transport error, 5 no such job.
 */
@Command(name = "java -jar jobline.jar", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "Jobline 1",
        description = "Jobline: run long jobs and follow them. Without a command (or with 'serve') it is the server.",
        subcommands = {SubmitCommand.class, WatchCommand.class, JobCommands.ListJobs.class, JobCommands.Get.class,
                JobCommands.Cancel.class, JobCommands.Delete.class, JobCommands.Types.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 succeeded, 1 failed (or refused by the server), 2 cancelled,",
                "3 usage error, 4 server unreachable or transport error, 5 no such job.",
                "Server options: java -jar jobline.jar serve --help"})
public final class Cli {
    private Cli() {}

    /** Whether {@code first} names a client command (anything else is the server's). */
    public static boolean handles(String first) {
        return commandLine().getSubcommands().containsKey(first);
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The list of commands, for the server's --help. */
    public static String commandsUsage() {
        return commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Cli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException c) {
                cmd.getErr().println("jobline: " + c.getMessage());
                return c.exitCode();
            }
            throw e;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("jobline: " + e.getMessage());
            err.println("see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return ExitCodes.USAGE;
        });
        return cl;
    }
}
