package dev.tltf.train.model;

import dev.tltf.common.error.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a head is optimised, apart from its hyper-parameters ({@link HeadConfig}).
 *
 * @param solver {@code lbfgs}: full-batch L-BFGS to convergence (heads without a hidden layer);
 *     {@code sgd}: mini-batches with the configured optimizer, epochs and early stopping; {@code
 *     auto}: lbfgs when the head has no hidden layer and no dropout, else sgd
 * @param maxIterations L-BFGS iterations at most, per L2 value
 * @param tolerance L-BFGS stops when the gradient's Euclidean norm is at most this
 * @param matrixBudgetMb the standardised training vectors are kept as one float32 matrix in memory
 *     when it takes at most this many MiB; otherwise every evaluation streams them from the local
 *     spill
 * @param folds folds of the cross-validation that chooses L2 when there is no validation split
 * @param verbose log every iteration or epoch, not one line per trial
 */
public record SolverConfig(
    Solver solver,
    int maxIterations,
    double tolerance,
    long matrixBudgetMb,
    int folds,
    boolean verbose) {

  /** The optimisation methods. */
  public enum Solver {
    AUTO,
    LBFGS,
    SGD
  }

  public SolverConfig {
    InvalidInputException.check(
        maxIterations >= 1 && maxIterations <= 100_000,
        "Invalid --max-iterations: %d (must be between 1 and 100000).",
        maxIterations);
    InvalidInputException.check(
        tolerance > 0 && tolerance < 1,
        "Invalid --tolerance: %s (must be > 0 and < 1).",
        tolerance);
    InvalidInputException.check(
        matrixBudgetMb >= 0,
        "Invalid --matrix-budget-mb: %d (must be ≥ 0; 0 always streams " + "from the spill).",
        matrixBudgetMb);
    InvalidInputException.check(
        folds >= 2 && folds <= 20, "Invalid --folds: %d (must be between 2 and 20).", folds);
  }

  /** Defaults for tests and tools: auto, 500 iterations, tolerance 1e-5, 2 GiB, 5 folds, quiet. */
  public static SolverConfig defaults() {
    return new SolverConfig(Solver.AUTO, 500, 1e-5, 2048, 5, false);
  }

  public SolverConfig withSolver(Solver value) {
    return new SolverConfig(value, maxIterations, tolerance, matrixBudgetMb, folds, verbose);
  }

  /** The solver a head of {@code config} trains with; an explicit lbfgs must suit it. */
  public Solver resolve(HeadConfig config) {
    boolean convex = config.hidden() == 0 && config.dropout() == 0;
    if (solver == Solver.LBFGS) {
      InvalidInputException.check(
          convex,
          "Invalid --solver: lbfgs (it trains heads without a hidden layer or "
              + "dropout; found --hidden %d --dropout %s: use --solver sgd).",
          config.hidden(),
          config.dropout());
    }
    return solver == Solver.AUTO ? (convex ? Solver.LBFGS : Solver.SGD) : solver;
  }

  public long matrixBudgetBytes() {
    return matrixBudgetMb * 1024 * 1024;
  }

  public Map<String, Object> asMap(HeadConfig config) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("solver", resolve(config).name().toLowerCase(Locale.ROOT));
    map.put("maxIterations", maxIterations);
    map.put("tolerance", tolerance);
    map.put("matrixBudgetMb", matrixBudgetMb);
    map.put("folds", folds);
    return map;
  }
}
