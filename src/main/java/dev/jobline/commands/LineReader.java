package dev.jobline.commands;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a child's output line by line as UTF-8 (a malformed byte becomes U+FFFD), giving each
 * line without its end ({@code \n} or {@code \r\n}). A line longer than {@link #MAX_LINE} bytes is
 * cut there, at a character's start, and the rest of it is skipped, so no output grows memory.
 */
final class LineReader {
    /** Room for a result line of some size; log lines are cut shorter by the log. */
    static final int MAX_LINE = 64 * 1024;

    private LineReader() {}

    /** Reads until the end of {@code in} (or an error reading it), then closes it. */
    static void read(InputStream in, int maxLine, Consumer<String> lines) {
        byte[] buf = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean cut = false;
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') continue;
                    cut = append(line, buf, from, i - from, maxLine, cut);
                    lines.accept(text(line));
                    line.reset();
                    cut = false;
                    from = i + 1;
                }
                cut = append(line, buf, from, n - from, maxLine, cut);
            }
        } catch (IOException e) {
            // why: the pipe closed under us (the process was killed and its streams closed); what was read is given below
        }
        if (line.size() > 0) lines.accept(text(line));
    }

    private static boolean append(ByteArrayOutputStream line, byte[] buf, int from, int len, int maxLine, boolean cut) {
        if (cut) return true;
        int room = maxLine - line.size();
        if (len <= room) {
            line.write(buf, from, len);
            return false;
        }
        int keep = room;
        while (keep > 0 && (buf[from + keep] & 0xC0) == 0x80) keep--; // why: never split a character
        line.write(buf, from, keep);
        return true;
    }

    private static String text(ByteArrayOutputStream line) {
        byte[] b = line.toByteArray();
        int len = b.length;
        if (len > 0 && b[len - 1] == '\r') len--;
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }
}
