package dev.jobline.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Job types for tests: each does one thing that a test can steer. */
public final class TestTypes {
    private TestTypes() {}

    /** Blocks until {@code gate} opens (or the job is cancelled), then returns {"ok": true}. */
    public static JobType gated(String name, CountDownLatch gate) {
        return JobType.of(name, "waits for the test to open its gate", null, (ctx, params) -> {
            if (!gate.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
            return Map.of("ok", true);
        });
    }

    /** As {@link #gated(String, CountDownLatch)}, counting {@code entered} down once its handler runs. */
    public static JobType gated(String name, CountDownLatch gate, CountDownLatch entered) {
        return JobType.of(name, "waits for the test to open its gate", null, (ctx, params) -> {
            entered.countDown();
            if (!gate.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
            return Map.of("ok", true);
        });
    }

    /** Throws at once with the given message. */
    public static JobType throwing(String name, String message) {
        return JobType.of(name, "always throws", null, (ctx, params) -> {
            throw new IllegalStateException(message);
        });
    }

    /** Logs each line the test puts in {@code lines} (as stream "log") until it takes "END", then returns. */
    public static JobType logging(String name, BlockingQueue<String> lines) {
        return JobType.of(name, "logs the lines the test hands it", null, (ctx, params) -> {
            for (int i = 0; i < 100_000; i++) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                if (line == null) throw new IllegalStateException("no line came");
                if (line.equals("END")) return Map.of("ok", true);
                ctx.log(line);
            }
            return Map.of("ok", false);
        });
    }

    /** Reports {@code params.n} progress steps as fast as it can. */
    public static JobType chatty(String name) {
        ObjectNode schema = ParamsSchema.emptyObject();
        ((ObjectNode) schema.get("properties")).putObject("n").put("type", "integer").put("minimum", 1).put("default", 1000);
        return JobType.of(name, "reports progress n times without pause", schema, (ctx, params) -> {
            int n = params.get("n").asInt();
            for (int i = 1; i <= n; i++) ctx.progress(i, n, null);
            return n;
        });
    }
}
