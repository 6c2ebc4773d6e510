package dev.tltf.train.model;

/**
 * The convex objective of a softmax head without a hidden layer (multinomial logistic regression)
 * on standardised vectors: f(W, b) = Σᵢ wᵢ CE(xᵢW + b, yᵢ) / Σᵢ wᵢ + (λ/2)‖W‖², with wᵢ the row's
 * class weight (1 without class weights). The intercept b is not regularised. This is MLlib's
 * LogisticRegression objective with {@code standardization=true, elasticNetParam=0, regParam=λ}.
 * Parameters are one vector: W row-major (d × k), then b.
 */
final class SoftmaxObjective implements Lbfgs.Objective {
  private final SoftmaxData data;
  private final double l2;
  private double[] lastPoint;
  private SoftmaxSums lastSums;

  SoftmaxObjective(SoftmaxData data, double l2) {
    this.data = data;
    this.l2 = l2;
  }

  @Override
  public double evaluate(double[] x, double[] gradient) {
    int d = data.dimension();
    int k = data.classes();
    float[] w = weights(x, d, k);
    float[] b = biases(x, d, k);
    SoftmaxSums sums = data.sums(w, b, true);
    double total = sums.weight;
    double squares = 0;
    int weightCount = d * k;
    for (int i = 0; i < weightCount; i++) {
      squares += x[i] * x[i];
      gradient[i] = sums.gradient[i] / total + l2 * x[i];
    }
    for (int i = weightCount; i < x.length; i++) {
      gradient[i] = sums.gradient[i] / total;
    }
    lastPoint = x;
    lastSums = sums;
    return sums.weightedLoss / total + 0.5 * l2 * squares;
  }

  /**
   * The training sums at {@code x} if it was the last point evaluated (the solver's accepted step),
   * else null.
   */
  SoftmaxSums sumsAt(double[] x) {
    return x == lastPoint ? lastSums : null;
  }

  static float[] weights(double[] x, int d, int k) {
    float[] w = new float[d * k];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) x[i];
    }
    return w;
  }

  static float[] biases(double[] x, int d, int k) {
    float[] b = new float[k];
    for (int c = 0; c < k; c++) {
      b[c] = (float) x[d * k + c];
    }
    return b;
  }
}
