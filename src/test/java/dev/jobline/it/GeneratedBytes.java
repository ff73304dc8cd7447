package dev.jobline.it;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code size} deterministic pseudo-random bytes made while they are read, never held: the test
 * side of a huge upload. Their SHA-256 is computed on the way, for {@link #sha256()} at the end.
 */
final class GeneratedBytes extends InputStream {
    private final long size;
    private final MessageDigest sha256;
    private long state;
    private long sent;

    GeneratedBytes(long size, long seed) {
        this.size = size;
        this.state = seed | 1;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (sent >= size) return -1;
        int n = (int) Math.min(len, size - sent);
        for (int i = 0; i < n; i++) {
            if ((sent + i & 7) == 0) { // why: xorshift64, eight bytes a step
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
            }
            b[off + i] = (byte) (state >>> ((sent + i & 7) << 3));
        }
        sha256.update(b, off, n);
        sent += n;
        return n;
    }

    /** The SHA-256 of every byte read, once all were read. */
    String sha256() {
        if (sent < size) throw new IllegalStateException("only " + sent + " of " + size + " bytes were read");
        return HexFormat.of().formatHex(sha256.digest());
    }
}
