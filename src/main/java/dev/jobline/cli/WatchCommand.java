package dev.jobline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", description = "Follow a job to its end; the exit code tells how it ended.")
final class WatchCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ID", description = "the job's id")
    String id;

    @Option(names = "--cancel-on-interrupt", description = "Ctrl-C cancels the job instead of leaving it running")
    boolean cancelOnInterrupt;

    @Override
    public Integer call() {
        return new Follower(client.api(), FollowView.choose(client.json, System.out), System.err).follow(id, cancelOnInterrupt);
    }
}
