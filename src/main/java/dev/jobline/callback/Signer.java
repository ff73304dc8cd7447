package dev.jobline.callback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs callbacks: {@code Jobline-Signature: t=<unix seconds>,v1=<hex>}, where {@code v1} is the
 * lowercase hex HMAC-SHA256 of {@code "<t>.<body>"} keyed with the secret. A receiver recomputes
 * it over the raw body it got and compares in constant time, and may refuse an old {@code t}.
 */
public final class Signer {
    private final byte[] secret;

    public Signer(byte[] secret) {
        if (secret.length == 0) throw new IllegalArgumentException("the callback secret is empty");
        this.secret = secret.clone();
    }

    /** The value of the Jobline-Signature header for {@code body} sent at {@code t} (unix seconds). */
    public String header(long t, byte[] body) {
        return "t=" + t + ",v1=" + hmac(t, body);
    }

    /** The lowercase hex HMAC-SHA256 of {@code "<t>.<body>"}. */
    public String hmac(long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "Signer[secret hidden]";
    }
}
