package dev.jobline.bench;

import java.nio.charset.StandardCharsets;

/** Reads a top-level field of a job's JSON without parsing the rest: the client stays cheap per response. */
final class JsonScan {
    private JsonScan() {}

    /** The first number after {@code "name":}, or -1. */
    static long number(byte[] json, String name) {
        int p = find(json, name);
        if (p < 0) return -1;
        long v = 0;
        boolean any = false;
        while (p < json.length && json[p] >= '0' && json[p] <= '9') {
            v = v * 10 + (json[p++] - '0');
            any = true;
        }
        return any ? v : -1;
    }

    /** The string after {@code "name":"}, or null. */
    static String string(byte[] json, String name) {
        int p = find(json, name);
        if (p < 0 || json[p] != '"') return null;
        int end = p + 1;
        while (end < json.length && json[end] != '"') end++;
        return new String(json, p + 1, end - p - 1, StandardCharsets.UTF_8);
    }

    /** Milliseconds since the epoch of an RFC 3339 timestamp field like 2026-11-22T10:00:04.200Z, or -1. */
    static long millis(byte[] json, String name) {
        String s = string(json, name);
        return s == null ? -1 : java.time.Instant.parse(s).toEpochMilli();
    }

    private static int find(byte[] json, String name) {
        byte[] key = ("\"" + name + "\":").getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + key.length <= json.length; i++) {
            for (int j = 0; j < key.length; j++) if (json[i + j] != key[j]) continue outer;
            return i + key.length;
        }
        return -1;
    }
}
