package dev.jobline.store;

import java.util.Map;

/** The per-owner submit rate as a token bucket: {@code perSecond} tokens a second, holding at most twice that. */
final class Buckets {
    private Buckets() {}

    /** A bucket after a try to take a token: its tokens and time, and 0 when the token was taken, else the seconds until one is there. */
    record Taken(double tokens, long atMillis, double waitSeconds) {}

    /** Takes a token from a bucket that held {@code tokens} at {@code atMillis} (a full one when {@code tokens} is null). */
    static Taken take(Double tokens, long atMillis, Admission.Rate rate) {
        double cap = capacity(rate);
        long now = rate.now().toEpochMilli();
        double have = tokens == null ? cap : Math.min(cap, tokens + Math.max(0, now - atMillis) / 1e3 * rate.perSecond());
        long at = tokens == null ? now : Math.max(now, atMillis);
        if (have >= 1) return new Taken(have - 1, at, 0);
        return new Taken(have, at, (1 - have) / rate.perSecond());
    }

    /** The tokens a full bucket holds: twice the rate. */
    static double capacity(Admission.Rate rate) {
        return rate.perSecond() * 2;
    }

    /** As {@link #take(Double, long, Admission.Rate)} on an in-memory map of owner to {tokens, at millis}; the caller serializes. */
    static double take(Map<String, double[]> buckets, Admission.Rate rate) {
        String owner = rate.owner() == null ? "" : rate.owner();
        double[] b = buckets.get(owner);
        Taken t = take(b == null ? null : b[0], b == null ? 0 : (long) b[1], rate);
        buckets.put(owner, new double[] {t.tokens(), t.atMillis()});
        return t.waitSeconds();
    }
}
