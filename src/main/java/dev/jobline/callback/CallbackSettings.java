package dev.jobline.callback;

import java.time.Duration;

/**
 * The callback options of a server: where callbacks may go, the signer holding the secret (null
 * when no secret is set, which is allowed only while no prefix is), and how long an undelivered
 * callback is retried. Its text never shows the secret.
 */
public record CallbackSettings(CallbackPolicy policy, Signer signer, Duration retryFor) {

    public static CallbackSettings off() {
        return new CallbackSettings(CallbackPolicy.NONE, null, Duration.ofHours(24));
    }

    public CallbackSettings {
        if (policy.enabled() && signer == null) {
            throw new IllegalArgumentException("--callback-allow needs a secret to sign callbacks with: set JOBLINE_CALLBACK_SECRET "
                    + "or --callback-secret-file");
        }
    }
}
