package dev.tltf.features.backbone;

import dev.tltf.common.store.BackboneFingerprint;
import java.io.Serializable;

/** Where the backbone's weights come from; part of the fingerprint. */
public sealed interface WeightsSource extends Serializable {
  /** The fingerprint's {@code weights} field. */
  String fingerprint();

  /** Seeded random weights: for tests and for the demo when no pretrained file is configured. */
  record Random(long seed) implements WeightsSource {
    @Override
    public String fingerprint() {
      return BackboneFingerprint.randomWeights(seed);
    }
  }

  /**
   * The official Keras notop file (or one in its layout) at any Hadoop URI, identified by its
   * SHA-256.
   */
  record KerasFile(String uri, String sha256) implements WeightsSource {
    @Override
    public String fingerprint() {
      return BackboneFingerprint.weightFileDigest(sha256);
    }
  }
}
