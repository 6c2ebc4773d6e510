package dev.tltf.common.store;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a feature run's time and I/O went. {@code filesOpened} and {@code bytesRead} count the
 * files read to hash them (a listed file whose size and modification time match its stored row is
 * not opened); the forward pass reads the distinct new images once more to decode them. The four
 * phases are wall-clock seconds on the driver: listing the inputs, hashing (reusing unchanged
 * files' ids, reading the rest), computing (finding what is new and running the network) and
 * committing (writing the rows and counting them back). {@code startupSeconds} is the fixed cost
 * before the listing began, from the JVM's start (JVM, Spark session, settings, the weight file
 * hashed and checked; the network itself is built only where images are computed): a run's own work
 * is the four phases. In a JVM that runs more than one job (tests, a notebook), it is the time
 * since that JVM started. 0 in markers written before it existed.
 */
public record RunCosts(
    @JsonProperty("filesOpened") long filesOpened,
    @JsonProperty("bytesRead") long bytesRead,
    @JsonProperty("listingSeconds") double listingSeconds,
    @JsonProperty("hashingSeconds") double hashingSeconds,
    @JsonProperty("computingSeconds") double computingSeconds,
    @JsonProperty("committingSeconds") double committingSeconds,
    @JsonProperty("startupSeconds") double startupSeconds) {}
