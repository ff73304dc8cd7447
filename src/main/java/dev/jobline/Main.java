package dev.jobline;

import dev.jobline.cli.Cli;

/** The front door: {@code java -jar jobline.jar [serve] [options]} is the server, {@code java -jar jobline.jar COMMAND} a client (see {@link Cli}). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.run(args));
    }
}
