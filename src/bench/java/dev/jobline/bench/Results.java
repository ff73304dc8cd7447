package dev.jobline.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every metric of a run: one value per repetition, reported as median with min and max, next to
 * its target and whether the median meets it.
 */
final class Results {
    /** How a metric is judged: at most or at least {@code limit}, or not at all (null). */
    record Target(String text, Double limit, boolean atMost) {
        static Target none() {
            return new Target("", null, true);
        }

        static Target atMost(double limit, String text) {
            return new Target(text, limit, true);
        }

        static Target atLeast(double limit, String text) {
            return new Target(text, limit, false);
        }
    }

    static final class Metric {
        final String scenario;
        final String name;
        final String unit;
        final Target target;
        final List<Double> values = new ArrayList<>();
        String note = "";

        Metric(String scenario, String name, String unit, Target target) {
            this.scenario = scenario;
            this.name = name;
            this.unit = unit;
            this.target = target;
        }

        double median() {
            return Stats.percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
        }

        double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        String verdict() {
            if (target.limit() == null || values.isEmpty()) return "";
            double m = median();
            boolean met = target.atMost() ? m <= target.limit() : m >= target.limit();
            return met ? "met" : "**missed**";
        }
    }

    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    /** Declares a metric (once) so that it keeps its place in the table. */
    Metric metric(String scenario, String name, String unit, Target target) {
        return metrics.computeIfAbsent(scenario + "\u0000" + name, k -> new Metric(scenario, name, unit, target));
    }

    void add(String scenario, String name, String unit, Target target, double value) {
        metric(scenario, name, unit, target).values.add(value);
    }

    void note(String scenario, String name, String note) {
        Metric m = metrics.get(scenario + "\u0000" + name);
        if (m != null) m.note = note;
    }

    List<Metric> all() {
        return List.copyOf(metrics.values());
    }

    /** The Markdown table of every metric; without verdicts when {@code judge} is false (the quick smoke's sizes are too small). */
    String table(boolean judge) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | metric | median | min | max | runs | target | verdict |\n");
        sb.append("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |\n");
        for (Metric m : metrics.values()) {
            String verdict = judge ? m.verdict() : m.target.limit() == null ? "" : "not judged (quick)";
            if (!m.note.isEmpty()) verdict = verdict.isEmpty() ? m.note : verdict + "; " + m.note;
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %s | %s |%n",
                    m.scenario, m.name + (m.unit.isEmpty() ? "" : " (" + m.unit + ")"),
                    fmt(m.median()), fmt(m.min()), fmt(m.max()), m.values.size(), m.target.text(), verdict));
        }
        return sb.toString();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
