package dev.tltf.train.model;

import dev.tltf.train.snapshot.VectorSpill;

/**
 * Per-feature mean and standard deviation fitted on the training split. Features that never vary
 * (common with ReLU outputs that are always 0) keep a deviation of 1, so they stay 0 instead of
 * blowing up.
 */
public record Standardizer(float[] mean, float[] std) implements java.io.Serializable {
  private static final double MIN_STD = 1e-6;

  /** Fitted on {@code rows} of {@code spill}. */
  public static Standardizer fit(VectorSpill spill, int[] selected, int batchRows) {
    int dimension = spill.dimension();
    double[] sum = new double[dimension];
    double[] sumSquares = new double[dimension];
    int[] rows = new int[batchRows];
    float[] batch = new float[batchRows * dimension];
    for (int start = 0; start < selected.length; start += batchRows) {
      int count = Math.min(batchRows, selected.length - start);
      System.arraycopy(selected, start, rows, 0, count);
      spill.read(rows, count, batch);
      for (int i = 0; i < count; i++) {
        for (int d = 0; d < dimension; d++) {
          double v = batch[i * dimension + d];
          sum[d] += v;
          sumSquares[d] += v * v;
        }
      }
    }
    float[] mean = new float[dimension];
    float[] std = new float[dimension];
    long n = Math.max(1, selected.length);
    for (int d = 0; d < dimension; d++) {
      double m = sum[d] / n;
      double variance = Math.max(0, sumSquares[d] / n - m * m);
      mean[d] = (float) m;
      std[d] = (float) (Math.sqrt(variance) < MIN_STD ? 1.0 : Math.sqrt(variance));
    }
    return new Standardizer(mean, std);
  }

  /** Standardises {@code count} rows of {@code batch} in place. */
  public void apply(float[] batch, int count) {
    int dimension = mean.length;
    for (int i = 0; i < count; i++) {
      for (int d = 0; d < dimension; d++) {
        int k = i * dimension + d;
        batch[k] = (batch[k] - mean[d]) / std[d];
      }
    }
  }
}
