package dev.jobline.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The declared API tokens: one a line, {@code OWNER ROLE SECRET}, where ROLE is {@code user} or
 * {@code admin} and SECRET is the token or {@code sha256:<hex>} of it; blank lines and lines
 * starting with {@code #} are ignored. Only SHA-256 hashes of the secrets are kept in memory.
 */
public final class Tokens {
    /** Who a request comes from. Admins see every owner's jobs. */
    public record Principal(String owner, boolean admin) {}

    private final Map<String, Principal> byHash;

    private Tokens(Map<String, Principal> byHash) {
        this.byHash = byHash;
    }

    /** Parses the declarations; throws IllegalArgumentException naming the line that is wrong. */
    public static Tokens parse(String text) {
        Map<String, Principal> byHash = new HashMap<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+");
            String where = "token line " + (i + 1);
            if (parts.length != 3) throw new IllegalArgumentException(where + " must be 'OWNER ROLE SECRET'");
            if (!parts[1].equals("user") && !parts[1].equals("admin")) {
                throw new IllegalArgumentException(where + ": role must be user or admin, not '" + parts[1] + "'");
            }
            String hash;
            if (parts[2].startsWith("sha256:")) {
                hash = parts[2].substring(7).toLowerCase();
                if (!hash.matches("[0-9a-f]{64}")) throw new IllegalArgumentException(where + ": sha256: needs 64 hex digits");
            } else {
                hash = sha256(parts[2]);
            }
            if (byHash.put(hash, new Principal(parts[0], parts[1].equals("admin"))) != null) {
                throw new IllegalArgumentException(where + ": the same secret is declared twice");
            }
        }
        if (byHash.isEmpty()) throw new IllegalArgumentException("tokens were declared but none was found");
        return new Tokens(byHash);
    }

    /** Who holds this bearer token, if anyone. */
    public Optional<Principal> lookup(String token) {
        return Optional.ofNullable(byHash.get(sha256(token)));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
