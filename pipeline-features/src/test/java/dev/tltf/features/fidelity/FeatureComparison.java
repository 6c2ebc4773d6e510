package dev.tltf.features.fidelity;

/**
 * How close two feature vectors are, and the layout change between DL4J's and TensorFlow's inputs.
 */
final class FeatureComparison {
  private FeatureComparison() {}

  /**
   * {@code max_i |actual_i − reference_i| / max_i |reference_i|}: the largest error relative to the
   * vector's scale. Not elementwise: after ReLU and average pooling many features are 0 or close to
   * it, where any float noise is an unbounded "relative" error, so the vector's largest magnitude
   * is the scale noise is measured against.
   */
  static double maxRelativeDifference(float[] actual, float[] reference) {
    checkLengths(actual, reference);
    double maxDifference = 0;
    double scale = 0;
    for (int i = 0; i < reference.length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs((double) actual[i] - reference[i]));
      scale = Math.max(scale, Math.abs(reference[i]));
    }
    return maxDifference / scale;
  }

  static double cosineSimilarity(float[] a, float[] b) {
    checkLengths(a, b);
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      normA += (double) a[i] * a[i];
      normB += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(normA * normB);
  }

  static double maxAbs(float[] values) {
    double max = 0;
    for (float value : values) {
      max = Math.max(max, Math.abs(value));
    }
    return max;
  }

  static int nonZero(float[] values) {
    int count = 0;
    for (float value : values) {
      if (value != 0) {
        count++;
      }
    }
    return count;
  }

  /** CHW images back to back (DL4J's NCHW batch) → HWC back to back (TensorFlow's NHWC). */
  static float[] nchwToNhwc(float[] nchw, int count, int size) {
    int plane = size * size;
    float[] nhwc = new float[nchw.length];
    for (int n = 0; n < count; n++) {
      int image = n * 3 * plane;
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < plane; p++) {
          nhwc[image + p * 3 + c] = nchw[image + c * plane + p];
        }
      }
    }
    return nhwc;
  }

  private static void checkLengths(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "Cannot compare vectors of " + a.length + " and " + b.length + " values");
    }
  }
}
