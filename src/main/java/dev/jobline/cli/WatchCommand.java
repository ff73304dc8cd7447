package dev.jobline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", description = "Follow a job to its end; the exit code tells how it ended.")
final class WatchCommand extends JobCommands.OnJob {
    @Option(names = "--cancel-on-interrupt", description = "Ctrl-C cancels the job instead of leaving it running")
    boolean cancelOnInterrupt;

    @Override
    public Integer call() {
        return new Follower(client.api(), FollowView.choose(client.json, System.out), System.err).follow(id, cancelOnInterrupt);
    }
}
