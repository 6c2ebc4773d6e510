package dev.tltf.features.backbone;

import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.features.engine.ForwardEngine;
import dev.tltf.features.image.Preprocessor;
import dev.tltf.features.image.ResizeMethod;
import java.io.Serializable;

/**
 * Everything needed to build the same backbone and preprocessing in any JVM; small enough to ship
 * in a closure. {@code engine} says what runs the forward pass; it is not part of the fingerprint
 * (the vectors are the same).
 */
public record BackboneSpec(
    WeightsSource weights, int inputSize, ResizeMethod resize, ForwardEngine engine)
    implements Serializable {
  public BackboneSpec {
    java.util.Objects.requireNonNull(engine, "engine");
  }

  /** A spec run by DL4J, the model of record (jobs choose the engine with {@code --engine}). */
  public BackboneSpec(WeightsSource weights, int inputSize, ResizeMethod resize) {
    this(weights, inputSize, resize, ForwardEngine.DL4J);
  }

  public BackboneSpec withEngine(ForwardEngine engine) {
    return new BackboneSpec(weights, inputSize, resize, engine);
  }

  public BackboneFingerprint fingerprint() {
    return new BackboneFingerprint(
        InceptionV3.MODEL_NAME,
        InceptionV3.OUTPUT,
        InceptionV3.FEATURE_DIMENSION,
        weights.fingerprint(),
        inputSize,
        resize.code(),
        Preprocessor.SCALING);
  }

  public Preprocessor preprocessor() {
    return new Preprocessor(inputSize, resize);
  }
}
