package dev.jobline.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * A file a client uploaded, as clients see it. The bytes live in the uploads folder under
 * {@code id}, a name the server made; {@code name} is the client's name for it, cut to its last
 * path segment, and is metadata only. {@code owner} is shown only when set, as with jobs.
 */
@JsonPropertyOrder({"id", "name", "size", "sha256", "contentType", "createdAt", "owner"})
public record Upload(String id, String name, long size, String sha256, String contentType, Instant createdAt,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String owner) {}
