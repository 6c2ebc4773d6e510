package dev.tltf.train.model;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sums of the softmax cross-entropy over rows of standardised vectors, and of its gradient: what
 * one block of rows adds to a full-batch loss evaluation. Blocks are summed in any grouping
 * (locally block after block, or on Spark executors and merged by tree aggregation); {@link
 * SoftmaxObjective} turns the totals into the regularised mean.
 *
 * <p>For parameters W (d × k) and b (k), a block X (n × d) costs two matrix products: Z = XW (then
 * b added and a softmax per row, in double precision on the JVM), and the weight gradient XᵀG with
 * G = w ⊙ (softmax(Z) − Y).
 */
public final class SoftmaxSums implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Σ wᵢ · cross-entropyᵢ (wᵢ the row's class weight, 1 without class weights). */
  double weightedLoss;

  /** Σ cross-entropyᵢ, unweighted: the loss reported in learning curves and for validation. */
  double loss;

  /** Σ wᵢ. */
  double weight;

  long rows;
  long correct;

  /**
   * ∂(Σ wᵢ · cross-entropyᵢ)/∂(W, b): W row-major (d × k), then b; null when only the loss is
   * wanted.
   */
  final double[] gradient;

  SoftmaxSums(int dimension, int classes, boolean withGradient) {
    this.gradient = withGradient ? new double[(dimension + 1) * classes] : null;
  }

  double accuracy() {
    return rows == 0 ? Double.NaN : (double) correct / rows;
  }

  double meanLoss() {
    return rows == 0 ? Double.NaN : loss / rows;
  }

  /** Adds another set of sums (of the same shape) to this one; returns this. */
  SoftmaxSums merge(SoftmaxSums other) {
    weightedLoss += other.weightedLoss;
    loss += other.loss;
    weight += other.weight;
    rows += other.rows;
    correct += other.correct;
    if (gradient != null) {
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] += other.gradient[i];
      }
    }
    return this;
  }

  /**
   * Adds the rows of {@code x} (n × d, float, standardised) with their labels and row weights
   * ({@code null}: all 1), under weights {@code w} (d × k, float) and biases {@code b}.
   */
  void add(INDArray x, int[] labels, float[] rowWeights, INDArray w, float[] b) {
    int n = labels.length;
    int k = b.length;
    float[] z = floats(Nd4j.matmul(x, w), n * k);
    float[] g = gradient == null ? null : new float[n * k];
    double[] p = new double[k];
    int d = gradient == null ? 0 : gradient.length / k - 1;
    for (int i = 0; i < n; i++) {
      int offset = i * k;
      double max = Double.NEGATIVE_INFINITY;
      int best = 0;
      for (int c = 0; c < k; c++) {
        p[c] = (double) z[offset + c] + b[c];
        if (p[c] > max) {
          max = p[c];
          best = c;
        }
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        p[c] = Math.exp(p[c] - max);
        sum += p[c];
      }
      int label = labels[i];
      double rowWeight = rowWeights == null ? 1 : rowWeights[i];
      // −log softmax(z)_y = log Σ exp(z − max) − (z_y − max)
      double crossEntropy = Math.log(sum) - ((double) z[offset + label] + b[label] - max);
      loss += crossEntropy;
      weightedLoss += rowWeight * crossEntropy;
      weight += rowWeight;
      if (best == label) {
        correct++;
      }
      if (g != null) {
        for (int c = 0; c < k; c++) {
          double residual = rowWeight * (p[c] / sum - (c == label ? 1 : 0));
          g[offset + c] = (float) residual;
          gradient[d * k + c] += residual;
        }
      }
    }
    rows += n;
    if (g != null) {
      INDArray residuals = Nd4j.create(g, new long[] {n, k}, 'c');
      float[] product = floats(Nd4j.matmul(x, residuals, true, false, false), d * k);
      for (int i = 0; i < product.length; i++) {
        gradient[i] += product[i];
      }
      close(residuals);
    }
  }

  static void close(INDArray array) {
    if (array.closeable()) {
      array.close();
    }
  }

  /** The values of a fresh matrix product in row-major order. */
  private static float[] floats(INDArray product, int length) {
    INDArray rowMajor = product.ordering() == 'c' && !product.isView() ? product : product.dup('c');
    float[] values = rowMajor.data().asFloat();
    if (values.length != length) {
      values = java.util.Arrays.copyOf(values, length);
    }
    close(product);
    if (rowMajor != product) {
      close(rowMajor);
    }
    return values;
  }
}
