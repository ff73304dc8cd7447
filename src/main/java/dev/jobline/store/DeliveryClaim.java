package dev.jobline.store;

import java.time.Instant;
import java.util.List;

/** What a claim of deliveries got: the ones now leased to the claiming node, and when the next pending one (of any node) comes due, or null. */
public record DeliveryClaim(List<Delivery> claimed, Instant nextDue) {}
