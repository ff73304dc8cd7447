package dev.jobline.job;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * What kind of content a file holds, told from its first bytes and its name: a few well-known
 * signatures (magic bytes), then text (valid UTF-8 without NUL bytes) by its extension, else
 * {@code application/octet-stream}. {@link Text} follows a whole file as it streams by, to tell
 * text from binary and count its lines in one pass.
 */
public final class ContentTypes {
    /** How many first bytes {@link #detect} looks at. */
    public static final int HEAD = 512;
    public static final String BINARY = "application/octet-stream";

    private ContentTypes() {}

    /** The media type of content starting with {@code head}, named {@code name} (may be null); {@code text} says whether all of it is text. */
    public static String detect(ByteBuffer head, String name, boolean text) {
        String magic = magic(head);
        if (magic != null) return magic;
        if (!text) return BINARY;
        String ext = name == null || name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "json" -> "application/json";
            case "xml" -> "application/xml";
            case "svg" -> "image/svg+xml";
            case "csv" -> "text/csv; charset=utf-8";
            case "html", "htm" -> "text/html; charset=utf-8";
            case "md" -> "text/markdown; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            default -> "text/plain; charset=utf-8";
        };
    }

    private static String magic(ByteBuffer b) {
        if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
        if (starts(b, 0, 0xff, 0xd8, 0xff)) return "image/jpeg";
        if (starts(b, 0, 'G', 'I', 'F', '8')) return "image/gif";
        if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P')) return "image/webp";
        if (starts(b, 0, '%', 'P', 'D', 'F', '-')) return "application/pdf";
        if (starts(b, 0, 'P', 'K', 3, 4)) return "application/zip";
        if (starts(b, 0, 0x1f, 0x8b)) return "application/gzip";
        if (starts(b, 0, 'B', 'Z', 'h')) return "application/x-bzip2";
        if (starts(b, 0, 0xfd, '7', 'z', 'X', 'Z', 0)) return "application/x-xz";
        if (starts(b, 0, 0x28, 0xb5, 0x2f, 0xfd)) return "application/zstd";
        if (starts(b, 0, '7', 'z', 0xbc, 0xaf, 0x27, 0x1c)) return "application/x-7z-compressed";
        if (starts(b, 257, 'u', 's', 't', 'a', 'r')) return "application/x-tar";
        if (starts(b, 0, 0x7f, 'E', 'L', 'F')) return "application/x-executable";
        if (starts(b, 0, 0, 'a', 's', 'm')) return "application/wasm";
        if (starts(b, 0, 'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f', 'o', 'r', 'm', 'a', 't', ' ', '3', 0)) return "application/vnd.sqlite3";
        if (starts(b, 4, 'f', 't', 'y', 'p')) return "video/mp4";
        if (starts(b, 0, 'O', 'g', 'g', 'S')) return "audio/ogg";
        if (starts(b, 0, 'I', 'D', '3')) return "audio/mpeg";
        return null;
    }

    private static boolean starts(ByteBuffer b, int at, int... bytes) {
        if (b.limit() < at + bytes.length) return false;
        for (int i = 0; i < bytes.length; i++) {
            if ((b.get(at + i) & 0xff) != bytes[i]) return false;
        }
        return true;
    }

    /**
     * Follows content as it streams by: whether it is all valid UTF-8 without NUL bytes, and how
     * many lines it has (a last line without a newline counts).
     */
    public static final class Text {
        private int pending; // continuation bytes still expected
        private int min; // the smallest code point the sequence under way may encode
        private int cp;
        private boolean valid = true;
        private long newlines;
        private byte last = '\n';
        private long bytes;

        public void update(byte[] buf, int off, int len) {
            if (len <= 0) return;
            bytes += len;
            last = buf[off + len - 1];
            for (int i = off, end = off + len; i < end; i++) {
                int b = buf[i] & 0xff;
                if (b == '\n') newlines++;
                if (!valid) continue;
                if (pending > 0) {
                    if ((b & 0xc0) != 0x80) {
                        valid = false;
                        continue;
                    }
                    cp = (cp << 6) | (b & 0x3f);
                    if (--pending == 0 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) valid = false;
                } else if (b == 0) {
                    valid = false;
                } else if (b >= 0x80) {
                    if (b >= 0xc2 && b <= 0xdf) { pending = 1; cp = b & 0x1f; min = 0x80; }
                    else if (b >= 0xe0 && b <= 0xef) { pending = 2; cp = b & 0x0f; min = 0x800; }
                    else if (b >= 0xf0 && b <= 0xf4) { pending = 3; cp = b & 0x07; min = 0x10000; }
                    else valid = false;
                }
            }
        }

        /** Whether everything so far is text; a sequence cut at the end counts as text only when {@code complete} is false. */
        public boolean isText(boolean complete) {
            return valid && (!complete || pending == 0);
        }

        /** Lines seen, the last one counted even without its newline. */
        public long lines() {
            return newlines + (bytes > 0 && last != '\n' ? 1 : 0);
        }
    }
}
