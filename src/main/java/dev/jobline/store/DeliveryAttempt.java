package dev.jobline.store;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One attempt of a delivery as {@code GET /api/jobs/{id}/deliveries} shows it: when it was made,
 * the receiver's HTTP status (null when no answer came) or what went wrong (null when it was
 * delivered), and the delivery's state right after it. Before the first attempt a delivery shows
 * as one entry with {@code attempt} 0, dated when it was created, {@code pending}.
 */
@JsonPropertyOrder({"delivery", "attempt", "at", "status", "error", "state"})
public record DeliveryAttempt(String delivery, int attempt, Instant at, Integer status, String error, Delivery.State state) {}
