package dev.jobline.web;

import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What the HTTP side tells an operator, each part optional.
 *
 * @param metrics the text {@code GET /metrics} answers, or null for no such route
 * @param contentType the media type of that text
 * @param accessLog where one line per request goes, or null for none
 */
public record Telemetry(Supplier<byte[]> metrics, String contentType, Logger accessLog) {
    public static final Telemetry NONE = new Telemetry(null, null, null);
}
