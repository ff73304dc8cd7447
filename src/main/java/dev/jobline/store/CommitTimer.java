package dev.jobline.store;

/**
 * Told of each transaction a store commits, after the commit: how many writes it grouped and how
 * long it took from its first statement to the end of its commit. Runs on the store's writer
 * thread, so it must only count (a metrics histogram), never wait.
 */
@FunctionalInterface
public interface CommitTimer {
    CommitTimer NONE = (writes, nanos) -> {};

    void committed(int writes, long nanos);
}
