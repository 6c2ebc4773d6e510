package dev.tltf.train.model;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed., algorithm 7.4) with a
 * line search that satisfies the strong Wolfe conditions (algorithms 3.5 and 3.6, safeguarded cubic
 * interpolation), for smooth functions of a {@code double[]}. Deterministic: no randomness, and the
 * same evaluations give the same iterates.
 *
 * <p>It stops when the gradient's Euclidean norm is at most {@link Settings#gradientTolerance()}
 * (converged), after {@link Settings#maxIterations()} iterations, or when no step along a descent
 * direction lowers the function any more (the gradient is then as small as the function's
 * floating-point precision allows).
 */
public final class Lbfgs {
  /**
   * Sufficient decrease (Armijo) and curvature constants of the strong Wolfe conditions; N&amp;W's
   * usual values.
   */
  static final double C1 = 1e-4;

  static final double C2 = 0.9;
  private static final int MAX_LINE_SEARCH_EVALUATIONS = 25;

  /**
   * Relative slack of Hager and Zhang's approximate Wolfe conditions (SIAM J. Optim. 16, 2005):
   * near the minimum, differences of f fall below its rounding noise (float32 products: ~1e-7
   * relative) while the slope still tells where the minimum is, so a step whose slope satisfies the
   * curvature condition is accepted if f rose by at most this fraction.
   */
  static final double APPROXIMATE_WOLFE_SLACK = 1e-6;

  /** A smooth function: returns f(x) and writes ∇f(x) into {@code gradient}. */
  public interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  /**
   * Called after every iteration with its number (from 1), the new point (not to be modified), f
   * and ‖∇f‖.
   */
  public interface Listener {
    void iteration(int iteration, double[] x, double value, double gradientNorm);
  }

  /** Why the solver stopped. */
  public enum Stop {
    /** ‖∇f‖ ≤ the tolerance. */
    CONVERGED,
    /** The iteration limit was reached first. */
    MAX_ITERATIONS,
    /**
     * No step lowered f: the gradient is at the floating-point noise of f and cannot be reduced
     * further.
     */
    NO_PROGRESS
  }

  /**
   * A minimiser with the given memory, iteration limit and gradient tolerance.
   *
   * @param memory correction pairs kept (m)
   * @param maxIterations iteration limit (0: only evaluate the start)
   * @param gradientTolerance stop when ‖∇f‖₂ is at most this
   */
  public record Settings(int memory, int maxIterations, double gradientTolerance) {
    public Settings {
      if (memory < 1 || maxIterations < 0 || !(gradientTolerance >= 0)) {
        throw new IllegalArgumentException(
            "Invalid L-BFGS settings: " + memory + ", " + maxIterations + ", " + gradientTolerance);
      }
    }
  }

  /** The minimiser found, f and ‖∇f‖ there, and the work it took. */
  public record Result(
      double[] x, double value, double gradientNorm, int iterations, int evaluations, Stop stop) {
    public boolean converged() {
      return stop == Stop.CONVERGED;
    }
  }

  private final Objective objective;
  private final Settings settings;
  private int evaluations;

  private Lbfgs(Objective objective, Settings settings) {
    this.objective = objective;
    this.settings = settings;
  }

  /** Minimises {@code objective} from {@code start} (not modified). */
  public static Result minimize(
      Objective objective, double[] start, Settings settings, Listener listener) {
    return new Lbfgs(objective, settings).run(start, listener);
  }

  private double evaluate(double[] x, double[] gradient) {
    evaluations++;
    return objective.evaluate(x, gradient);
  }

  private Result run(double[] start, Listener listener) {
    int n = start.length;
    int m = settings.memory();
    double[] x = start.clone();
    double[] g = new double[n];
    double f = evaluate(x, g);
    double gNorm = norm(g);
    double[][] s = new double[m][];
    double[][] y = new double[m][];
    double[] rho = new double[m];
    int stored = 0;
    int newest = -1;
    double[] direction = new double[n];
    double[] alpha = new double[m];
    int iteration = 0;
    Stop stop = gNorm <= settings.gradientTolerance() ? Stop.CONVERGED : Stop.MAX_ITERATIONS;
    while (stop == Stop.MAX_ITERATIONS && iteration < settings.maxIterations()) {
      // Two-loop recursion: direction = −H∇f, H the L-BFGS inverse Hessian scaled by sᵀy / yᵀy.
      for (int i = 0; i < n; i++) {
        direction[i] = -g[i];
      }
      for (int j = 0; j < stored; j++) {
        int k = Math.floorMod(newest - j, m);
        alpha[k] = rho[k] * dot(s[k], direction);
        axpy(-alpha[k], y[k], direction);
      }
      if (stored > 0) {
        scale(dot(s[newest], y[newest]) / dot(y[newest], y[newest]), direction);
      }
      for (int j = stored - 1; j >= 0; j--) {
        int k = Math.floorMod(newest - j, m);
        double beta = rho[k] * dot(y[k], direction);
        axpy(alpha[k] - beta, s[k], direction);
      }
      double slope = dot(direction, g);
      if (!(slope
          < 0)) { // lost positive definiteness to rounding: start over from steepest descent
        stored = 0;
        for (int i = 0; i < n; i++) {
          direction[i] = -g[i];
        }
        slope = -gNorm * gNorm;
      }
      // Without curvature information, a first step of length 1 in x; afterwards the quasi-Newton
      // step is tried.
      double firstStep = stored == 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
      Step step = lineSearch(x, f, slope, direction, firstStep);
      if (step == null) {
        if (stored > 0) { // the curvature pairs may be stale: retry once from steepest descent
          stored = 0;
          continue;
        }
        stop = Stop.NO_PROGRESS;
        break;
      }
      iteration++;
      int slot = (newest + 1) % m;
      s[slot] = new double[n];
      y[slot] = new double[n];
      for (int i = 0; i < n; i++) {
        s[slot][i] = step.x[i] - x[i];
        y[slot][i] = step.gradient[i] - g[i];
      }
      double sy = dot(s[slot], y[slot]);
      if (sy
          > 1e-12
              * norm(s[slot])
              * norm(y[slot])) { // strong Wolfe guarantees sᵀy > 0 up to rounding
        rho[slot] = 1 / sy;
        newest = slot;
        stored = Math.min(stored + 1, m);
      }
      x = step.x;
      g = step.gradient;
      f = step.value;
      gNorm = norm(g);
      listener.iteration(iteration, x, f, gNorm);
      if (gNorm <= settings.gradientTolerance()) {
        stop = Stop.CONVERGED;
      }
    }
    return new Result(x, f, gNorm, iteration, evaluations, stop);
  }

  /** A point of the line search: where, f, ∇f and the directional derivative ∇f·d. */
  private record Step(double t, double[] x, double value, double[] gradient, double slope) {}

  private Step at(double[] x, double[] direction, double t) {
    double[] point = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      point[i] = x[i] + t * direction[i];
    }
    double[] gradient = new double[x.length];
    double value = evaluate(point, gradient);
    return new Step(t, point, value, gradient, dot(gradient, direction));
  }

  /**
   * A step t along {@code direction} with f(x + td) ≤ f(x) + c₁t∇f·d and |∇f(x + td)·d| ≤ c₂|∇f·d|
   * (N&amp;W 3.5); null when none lowering f is found within the evaluation budget.
   */
  private Step lineSearch(
      double[] x, double f0, double slope0, double[] direction, double firstStep) {
    Step previous = new Step(0, x, f0, null, slope0);
    double slack = APPROXIMATE_WOLFE_SLACK * Math.abs(f0);
    double t = firstStep;
    for (int i = 0; i < MAX_LINE_SEARCH_EVALUATIONS; i++) {
      Step current = at(x, direction, t);
      if (!Double.isFinite(
          current.value)) { // overflow far out: come back towards the last good point
        t = previous.t + (t - previous.t) / 4;
        continue;
      }
      if (approximatelyWolfe(current, f0, slope0, slack)) {
        return current;
      }
      if (current.value > f0 + C1 * t * slope0 || (i > 0 && current.value >= previous.value)) {
        return zoom(
            x, f0, slope0, direction, previous, current, MAX_LINE_SEARCH_EVALUATIONS - i - 1);
      }
      if (Math.abs(current.slope) <= -C2 * slope0) {
        return current;
      }
      if (current.slope >= 0) {
        return zoom(
            x, f0, slope0, direction, current, previous, MAX_LINE_SEARCH_EVALUATIONS - i - 1);
      }
      previous = current;
      t *= 4;
    }
    return previous.t > 0 ? previous : null;
  }

  /**
   * N&amp;W 3.6: shrinks [lo, hi], which brackets a strong Wolfe step; lo always has the lower f.
   */
  private Step zoom(
      double[] x, double f0, double slope0, double[] direction, Step lo, Step hi, int budget) {
    for (int i = 0; i < budget; i++) {
      double t = cubicMinimizer(lo, hi);
      double width = Math.abs(hi.t - lo.t);
      double low = Math.min(lo.t, hi.t);
      double high = Math.max(lo.t, hi.t);
      if (!(t > low + 0.1 * width && t < high - 0.1 * width)) {
        t = (lo.t + hi.t) / 2;
      }
      if (width <= 1e-16 * Math.max(1, high)) {
        break;
      }
      Step current = at(x, direction, t);
      if (approximatelyWolfe(current, f0, slope0, APPROXIMATE_WOLFE_SLACK * Math.abs(f0))) {
        return current;
      }
      if (!Double.isFinite(current.value)
          || current.value > f0 + C1 * t * slope0
          || current.value >= lo.value) {
        hi = current;
      } else {
        if (Math.abs(current.slope) <= -C2 * slope0) {
          return current;
        }
        if (current.slope * (hi.t - lo.t) >= 0) {
          hi = lo;
        }
        lo = current;
      }
    }
    // No strong Wolfe point within budget: take the best point found if it lowered f at all.
    return lo.t > 0 && lo.value < f0 ? lo : null;
  }

  /**
   * (2c₁ − 1)φ'(0) ≥ φ'(t) ≥ c₂φ'(0) and φ(t) ≤ φ(0) + slack: Hager and Zhang's approximate Wolfe
   * conditions.
   */
  private static boolean approximatelyWolfe(Step step, double f0, double slope0, double slack) {
    return Double.isFinite(step.value)
        && step.value <= f0 + slack
        && step.slope <= (2 * C1 - 1) * slope0
        && step.slope >= C2 * slope0;
  }

  /** The minimiser of the cubic through two points with their slopes; NaN when it has none. */
  static double cubicMinimizer(Step a, Step b) {
    if (!Double.isFinite(b.value) || !Double.isFinite(a.value)) {
      return Double.NaN;
    }
    double d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.t - b.t);
    double radicand = d1 * d1 - a.slope * b.slope;
    if (!(radicand >= 0)) {
      return Double.NaN;
    }
    double d2 = Math.signum(b.t - a.t) * Math.sqrt(radicand);
    return b.t - (b.t - a.t) * (b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2);
  }

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double a, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }
}
