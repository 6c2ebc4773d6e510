package dev.tltf.features.backbone;

import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.features.image.Preprocessor;
import dev.tltf.features.image.ResizeMethod;
import java.io.Serializable;

/** Everything needed to build the same backbone and preprocessing in any JVM; small enough to ship in a closure. */
public record BackboneSpec(WeightsSource weights, int inputSize, ResizeMethod resize) implements Serializable {
  public BackboneFingerprint fingerprint() {
    return new BackboneFingerprint(InceptionV3.MODEL_NAME, InceptionV3.OUTPUT, InceptionV3.FEATURE_DIMENSION,
        weights.fingerprint(), inputSize, resize.code(), Preprocessor.SCALING);
  }

  public Preprocessor preprocessor() {
    return new Preprocessor(inputSize, resize);
  }
}
