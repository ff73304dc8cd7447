package dev.jobline.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus text format read by Prometheus's own tools, not by ours: {@code promtool check
 * metrics} (the parser and linter the Prometheus server ships, from the Debian package
 * {@code prometheus}) and the official Python client's parser ({@code python3-prometheus-client}),
 * both installed by scripts/install-test-deps.sh.
 */
final class PromText {
    private PromText() {}

    /** One sample as the parser read it: its name (with _total, _bucket, _count or _sum), labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final String PARSE = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    out.append({"name": s.name, "labels": s.labels, "value": s.value})
            print(json.dumps(out))
            """;

    /** Every sample of {@code text}; fails when the official parser rejects it. */
    static List<Sample> parse(String text) {
        Ran r = run(text, "/usr/bin/python3", "-c", PARSE);
        if (r.exit != 0) throw new AssertionError("the Prometheus Python parser rejected the text: " + r.err);
        List<Sample> out = new ArrayList<>();
        try {
            for (JsonNode s : Json.MAPPER.readTree(r.out)) {
                Map<String, String> labels = new HashMap<>();
                s.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                out.add(new Sample(s.get("name").asText(), labels, s.get("value").asDouble()));
            }
        } catch (IOException e) {
            throw new AssertionError("the parser's output is not JSON: " + r.out, e);
        }
        return out;
    }

    /** promtool's findings on {@code text}: empty when it parses and passes the lint (exit 0). */
    static String lint(String text) {
        Ran r = run(text, "promtool", "check", "metrics");
        return r.exit == 0 ? "" : "promtool check metrics exited " + r.exit + ":\n" + r.out + r.err;
    }

    /** The value of the sample with this name whose labels include {@code labels}; 0 when there is none. */
    static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    private record Ran(int exit, String out, String err) {}

    private static Ran run(String input, String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end in 30 s");
            }
            return new Ran(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (scripts/install-test-deps.sh installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<String> read(java.io.InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
