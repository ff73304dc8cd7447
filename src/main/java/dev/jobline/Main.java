package dev.jobline;

import dev.jobline.cli.Cli;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** The front door: {@code java -jar jobline.jar [serve] [options]}, or a client command (see {@link Cli}). */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && Cli.handles(args[0])) {
            System.exit(Cli.run(args));
            return;
        }
        String[] rest = args.length > 0 && args[0].equals("serve") ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            System.out.print(Config.usage());
            System.out.println();
            System.out.print(Cli.commandsUsage());
            return;
        }
        Config config;
        try {
            config = Config.parse(rest, System.getenv());
        } catch (Config.UsageException e) {
            System.err.println("jobline: " + e.getMessage());
            System.exit(3);
            return;
        }
        Jobline jobline;
        try {
            jobline = Jobline.start(config);
        } catch (Config.UsageException e) {
            System.err.println("jobline: " + e.getMessage());
            System.exit(3);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            jobline.close();
            stopped.countDown();
        }, "jobline-shutdown"));
        System.out.println("Jobline listening on " + jobline.url());
        System.out.flush();
        stopped.await();
    }
}
