package dev.tltf.features.vectors;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.features.image.ImageDecoder;
import java.io.Serializable;
import java.time.Duration;

/**
 * Per-image limits: file size in bytes (checked before reading), pixel count from the header
 * (checked before decoding), and decoding time (decoding is aborted past it).
 */
public record DecodeLimits(long maxFileBytes, long maxPixels, Duration decodeTimeout)
    implements Serializable {
  public DecodeLimits {
    InvalidInputException.check(
        maxFileBytes > 0, "Invalid --max-file-bytes: %d (must be positive).", maxFileBytes);
    InvalidInputException.check(
        maxPixels > 0, "Invalid --max-pixels: %d (must be positive).", maxPixels);
    InvalidInputException.check(
        !decodeTimeout.isNegative() && !decodeTimeout.isZero(),
        "Invalid --decode-timeout-seconds: %s (must be positive).",
        decodeTimeout.toMillis() / 1000.0);
  }

  public ImageDecoder decoder() {
    return new ImageDecoder(maxFileBytes, maxPixels, decodeTimeout);
  }
}
