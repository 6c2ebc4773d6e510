package dev.tltf.features.job;

import java.io.Serializable;

/** Per-image limits enforced before decoding: file size in bytes and pixel count from the header. */
public record DecodeLimits(long maxFileBytes, long maxPixels) implements Serializable {}
