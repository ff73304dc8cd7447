package dev.jobline.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.job.JobContext;
import dev.jobline.job.Progress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;

/** What a handler sees of its job while it runs on this node (see {@link Runner}). */
final class RunContext implements JobContext {
    /** The largest checkpoint, as JSON text in UTF-8. */
    static final int MAX_CHECKPOINT_BYTES = 64 * 1024;

    private final Runner runner;
    private final LiveJob lj;
    private final Uploads uploads;

    RunContext(Runner runner, LiveJob lj, Uploads uploads) {
        this.runner = runner;
        this.lj = lj;
        this.uploads = uploads;
    }

    @Override
    public String jobId() {
        return lj.id();
    }

    @Override
    public int attempt() {
        return lj.job().attempt();
    }

    @Override
    public void progress(double percent, String message) {
        runner.report(lj, new Progress(percent, null, null, message));
    }

    @Override
    public void progress(long done, long total, String message) {
        runner.report(lj, Progress.of(done, total, message));
    }

    @Override
    public void log(String stream, String text) {
        if (lj.outcome == null && !lj.abandoned) lj.log.add(stream, text);
    }

    @Override
    public boolean isCancelled() {
        return lj.cancelRequested();
    }

    @Override
    public void throwIfCancelled() {
        if (lj.cancelRequested()) throw new CancellationException("the job was cancelled");
    }

    @Override
    public java.nio.file.Path upload(String id) {
        return uploads.fileFor(id);
    }

    @Override
    public String uploadName(String id) {
        return uploads.nameFor(id);
    }

    @Override
    public void checkpoint(JsonNode state) {
        if (state == null) throw new IllegalArgumentException("a checkpoint must be JSON, not null");
        int size = state.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_CHECKPOINT_BYTES) {
            throw new IllegalArgumentException("a checkpoint may be at most 64 KiB of JSON; this one is " + size + " bytes");
        }
        runner.checkpoint(lj, state.deepCopy());
    }

    @Override
    public JsonNode checkpoint() {
        return lj.job().checkpoint();
    }
}
