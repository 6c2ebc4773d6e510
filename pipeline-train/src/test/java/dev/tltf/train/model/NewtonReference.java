package dev.tltf.train.model;

/**
 * An independent reference for the full-batch solver: Newton's method in double precision, with the
 * exact Hessian and a backtracking line search, on the same objective (weighted mean cross-entropy
 * of a softmax on the given vectors + (λ/2)‖W‖², intercept free). Only for tiny problems: the
 * Hessian is ((d + 1) k)² and solved by Gaussian elimination. Parameters: W row-major (d × k), then
 * b.
 */
final class NewtonReference {
  private final double[][] x;
  private final int[] labels;
  private final double[] weights;
  private final int classes;
  private final double l2;

  NewtonReference(double[][] x, int[] labels, double[] weights, int classes, double l2) {
    this.x = x;
    this.labels = labels;
    this.weights = weights;
    this.classes = classes;
    this.l2 = l2;
  }

  private int dimension() {
    return x[0].length;
  }

  double[] probabilities(double[] theta, double[] row) {
    int d = dimension();
    int k = classes;
    double[] z = new double[k];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      z[c] = theta[d * k + c];
      for (int j = 0; j < d; j++) {
        z[c] += row[j] * theta[j * k + c];
      }
      max = Math.max(max, z[c]);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    for (int c = 0; c < k; c++) {
      z[c] /= sum;
    }
    return z;
  }

  /** f(θ); fills the gradient and, if not null, the Hessian. */
  double evaluate(double[] theta, double[] gradient, double[][] hessian) {
    int d = dimension();
    int k = classes;
    int n = (d + 1) * k;
    java.util.Arrays.fill(gradient, 0);
    if (hessian != null) {
      for (double[] row : hessian) {
        java.util.Arrays.fill(row, 0);
      }
    }
    double total = 0;
    double loss = 0;
    for (int i = 0; i < x.length; i++) {
      double w = weights == null ? 1 : weights[i];
      total += w;
      double[] p = probabilities(theta, x[i]);
      loss -= w * Math.log(p[labels[i]]);
      double[] input = java.util.Arrays.copyOf(x[i], d + 1);
      input[d] = 1;
      for (int j = 0; j <= d; j++) {
        for (int c = 0; c < k; c++) {
          gradient[j * k + c] += w * input[j] * (p[c] - (c == labels[i] ? 1 : 0));
          if (hessian != null) {
            for (int j2 = 0; j2 <= d; j2++) {
              for (int c2 = 0; c2 < k; c2++) {
                hessian[j * k + c][j2 * k + c2] +=
                    w * input[j] * input[j2] * p[c] * ((c == c2 ? 1 : 0) - p[c2]);
              }
            }
          }
        }
      }
    }
    double squares = 0;
    for (int i = 0; i < n; i++) {
      gradient[i] /= total;
      if (hessian != null) {
        for (int j = 0; j < n; j++) {
          hessian[i][j] /= total;
        }
      }
    }
    for (int i = 0; i < d * k; i++) {
      squares += theta[i] * theta[i];
      gradient[i] += l2 * theta[i];
      if (hessian != null) {
        hessian[i][i] += l2;
      }
    }
    return loss / total + 0.5 * l2 * squares;
  }

  /** The minimiser, to a gradient norm of 1e-12 (or 100 Newton steps). */
  double[] minimize() {
    int n = (dimension() + 1) * classes;
    double[] theta = new double[n];
    double[] g = new double[n];
    double[][] h = new double[n][n];
    double f = evaluate(theta, g, h);
    for (int iteration = 0; iteration < 100 && Lbfgs.norm(g) > 1e-12; iteration++) {
      for (int i = dimension() * classes; i < n; i++) {
        h[i][i] += 1e-9; // the intercepts are free to shift together: a tiny ridge makes the system
        // solvable
      }
      double[] step = solve(h, g);
      double t = 1;
      double[] trial = new double[n];
      double[] trialGradient = new double[n];
      double trialValue;
      while (true) {
        for (int i = 0; i < n; i++) {
          trial[i] = theta[i] - t * step[i];
        }
        trialValue = evaluate(trial, trialGradient, null);
        if (trialValue <= f - 1e-4 * t * Lbfgs.dot(g, step) || t < 1e-10) {
          break;
        }
        t /= 2;
      }
      theta = trial.clone();
      f = evaluate(theta, g, h);
    }
    return theta;
  }

  /** Solves a x = b by Gaussian elimination with partial pivoting (a and b are copied). */
  static double[] solve(double[][] matrix, double[] vector) {
    int n = vector.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = java.util.Arrays.copyOf(matrix[i], n + 1);
      a[i][n] = vector[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] swap = a[col];
      a[col] = a[pivot];
      a[pivot] = swap;
      for (int r = col + 1; r < n; r++) {
        double factor = a[r][col] / a[col][col];
        for (int c = col; c <= n; c++) {
          a[r][c] -= factor * a[col][c];
        }
      }
    }
    double[] out = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double sum = a[r][n];
      for (int c = r + 1; c < n; c++) {
        sum -= a[r][c] * out[c];
      }
      out[r] = sum / a[r][r];
    }
    return out;
  }
}
