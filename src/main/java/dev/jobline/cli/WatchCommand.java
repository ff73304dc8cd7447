package dev.jobline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", description = "Follow a job to its end; the exit code tells how it ended.")
final class WatchCommand extends JobCommands.OnJob {
    @Option(names = "--cancel-on-interrupt", description = "Ctrl-C cancels the job instead of leaving it running")
    boolean cancelOnInterrupt;

    @Option(names = "--log", description = "show the job's log lines as they come: above the bar on a terminal, as lines in a pipe")
    boolean log;

    @Override
    public Integer call() {
        ApiClient api = client.api();
        FollowView view = FollowView.choose(client.json, System.out);
        if (log) view = new LoggedView(view, api, id, System.err);
        return new Follower(api, view, System.err).follow(id, cancelOnInterrupt);
    }
}
