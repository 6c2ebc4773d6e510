package dev.tltf.common.store;

import java.util.Optional;

/**
 * The one warning every job prints (and the report shows at its top) when vectors come from seeded
 * random weights ({@code random:SEED}) instead of a weight file: such features carry no ImageNet
 * knowledge (unrelated images have cosine ≈ 0.999), so what is trained or predicted on them only
 * shows that the pipeline runs.
 */
public final class RandomWeightsWarning {
  private RandomWeightsWarning() {}

  /** The warning for vectors of {@code fingerprint}, or empty for a weight file. */
  public static Optional<String> of(BackboneFingerprint fingerprint) {
    return of(fingerprint.weights());
  }

  /**
   * The warning for a fingerprint's {@code weights} field, or empty when it names a weight file.
   */
  public static Optional<String> of(String weights) {
    if (!weights.startsWith("random:")) {
      return Optional.empty();
    }
    return Optional.of(
        "WARNING: the features come from seeded random weights ("
            + weights
            + "), not from "
            + "ImageNet-trained weights: heads and predictions on them only show that the pipeline runs (tests, demos). "
            + "Run bin/fetch-weights for the real weights.");
  }
}
