package dev.jobline;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code serve}: the server, until SIGTERM drains and stops it. The jar runs it when no other command is given. */
@Command(name = "serve", sortOptions = false, showDefaultValues = true,
        customSynopsis = "java -jar jobline.jar [serve] [OPTION...]",
        description = {"The server (the default command): the HTTP API, the page at / and the jobs.",
                "Every option also reads from an environment variable, --max-wait from JOBLINE_MAX_WAIT and so on, "
                        + "and a flag wins over its variable; --tokens reads JOBLINE_TOKENS_FILE, and JOBLINE_TOKENS may hold "
                        + "the token lines themselves.", ""},
        footer = {"", "Exit codes: 3 for a bad option (the message names it). The client commands exit 0 succeeded, "
                + "1 failed (or refused by the server), 2 cancelled, 3 usage error, 4 server unreachable or transport error, "
                + "5 no such job."})
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    Config.Options options;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    /** {@code env} is where the options' defaults come from (through the command's default provider) and JOBLINE_TOKENS. */
    public ServeCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        Jobline jobline = Jobline.start(options.toConfig(env));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            jobline.close();
            stopped.countDown();
        }, "jobline-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Jobline listening on " + jobline.url());
        out.flush();
        stopped.await();
        return 0;
    }
}
