package dev.jobline.bench;

import java.util.Arrays;

/** Percentiles of one sample of measurements (nearest rank). */
final class Stats {
    private Stats() {}

    /** The {@code p}-th percentile (0 to 100) of {@code values}, which it sorts. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        Arrays.sort(values);
        int rank = (int) Math.ceil(p / 100.0 * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
    }

    static double percentile(long[] values, int count, double p) {
        double[] d = new double[count];
        for (int i = 0; i < count; i++) d[i] = values[i];
        return percentile(d, p);
    }

    static double max(long[] values, int count) {
        long m = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) m = Math.max(m, values[i]);
        return count == 0 ? Double.NaN : m;
    }
}
