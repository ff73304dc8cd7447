package dev.jobline.bench;

import dev.jobline.bench.Results.Target;

/** One scenario of the suite: it runs its repetitions and adds what it measured to the bench's results. */
abstract class Scenario {
    final Bench bench;
    /** The scenario's name in the table, numbered as in the issue. */
    final String name;

    Scenario(Bench bench, String name) {
        this.bench = bench;
        this.name = name;
    }

    abstract void run() throws Exception;

    /** Adds one repetition's value of a metric of this scenario. */
    void add(String metric, String unit, Target target, double value) {
        bench.results.add(name, metric, unit, target, value);
    }
}
