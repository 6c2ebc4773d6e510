package dev.tltf.features.engine;

import java.util.Random;

/** Inputs and the error measure the engine tests share. */
final class EngineComparison {
  private EngineComparison() {}

  /** Uniform in [−1, 1), the range of the preprocessed images. */
  static float[] images(int count, int size, long seed) {
    float[] images = new float[count * 3 * size * size];
    Random random = new Random(seed);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat() * 2 - 1;
    }
    return images;
  }

  /** max |Δ| / max |reference| over a whole batch. */
  static double relativeError(float[][] actual, float[][] reference) {
    double maxDiff = 0;
    double maxAbs = 0;
    if (actual.length != reference.length) {
      throw new AssertionError(actual.length + " vectors, expected " + reference.length);
    }
    for (int i = 0; i < reference.length; i++) {
      if (actual[i].length != reference[i].length) {
        throw new AssertionError(
            "vector of " + actual[i].length + ", expected " + reference[i].length);
      }
      for (int d = 0; d < reference[i].length; d++) {
        maxDiff = Math.max(maxDiff, Math.abs((double) actual[i][d] - reference[i][d]));
        maxAbs = Math.max(maxAbs, Math.abs(reference[i][d]));
      }
    }
    if (maxAbs < 1e-6) {
      throw new AssertionError("degenerate reference: all features ≈ 0");
    }
    System.out.printf(
        "  max |Δ| %.3e, max |ref| %.3e, first %s vs %s%n",
        maxDiff, maxAbs, actual[0][0], reference[0][0]);
    return maxDiff / maxAbs;
  }
}
