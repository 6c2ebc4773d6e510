package dev.tltf.train.model;

import dev.tltf.common.NativeSetup;
import dev.tltf.train.model.HeadTrainer.EpochStats;
import dev.tltf.train.model.HeadTrainer.LabeledRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --solver lbfgs}: a softmax head without a hidden layer trained as what it is, a
 * multinomial logistic regression on standardised vectors ({@link SoftmaxObjective}), minimised by
 * {@link Lbfgs} to a gradient-norm tolerance, every evaluation a full pass over the training split.
 * Deterministic: it starts from zero and uses no randomness, so the same data and settings give the
 * same head.
 *
 * <p>With {@code --l2 auto} it solves the path {@link #L2_PATH} from strong to weak regularisation,
 * each solve warm-started from the previous minimiser, and keeps the value with the highest
 * validation accuracy (ties: the stronger L2, the first met on the path); the path stops early once
 * {@value #PATH_PATIENCE} values in a row score below the best. Without a validation split, L2 is
 * chosen the same way by k-fold cross-validation on the training split (on the driver), then the
 * head is fitted on the whole split along the path up to the chosen value.
 *
 * <p>The result is the same DL4J network the mini-batch trainer builds, standardisation folded in.
 */
public final class FullBatchTrainer {
  static {
    NativeSetup.ensure();
  }

  private static final Logger LOG = LoggerFactory.getLogger(FullBatchTrainer.class);

  /** The values {@code --l2 auto} solves, strongest first: one a decade from 1 to 1e-6. */
  public static final List<Double> L2_PATH = List.of(1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6);

  /**
   * Values in a row below the best validation accuracy after which weaker L2 values are not solved.
   */
  static final int PATH_PATIENCE = 2;

  /** Correction pairs L-BFGS keeps. */
  static final int MEMORY = 10;

  /**
   * One solve of the path: its L2, how it scored on validation (or cross-validation), and what it
   * cost.
   */
  public record Trial(
      double l2,
      double validationAccuracy,
      double validationLoss,
      int iterations,
      boolean converged,
      double gradientNorm,
      double trainLoss,
      boolean chosen) {
    /** The entry of {@code l2_path} in metrics.json. */
    public Map<String, Object> asMetrics() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("l2", l2);
      map.put("validation_accuracy", validationAccuracy);
      map.put("validation_loss", validationLoss);
      map.put("iterations", iterations);
      map.put("chosen", chosen);
      map.put("converged", converged);
      map.put("gradient_norm", gradientNorm);
      return map;
    }

    Trial choose() {
      return new Trial(
          l2,
          validationAccuracy,
          validationLoss,
          iterations,
          converged,
          gradientNorm,
          trainLoss,
          true);
    }
  }

  /** The trained head, its L2 and the path that chose it (one trial when L2 was given). */
  public record Outcome(HeadTrainer.Result result, double l2, List<Trial> path) {}

  /** Makes the training rows' data: local (one matrix, or the spill) or cached on the executors. */
  public interface TrainData {
    SoftmaxData create(
        LabeledRows train, float[] rowWeights, Standardizer standardizer, int classes);
  }

  private final HeadConfig config;
  private final SolverConfig solver;
  private final TrainData trainData;

  public FullBatchTrainer(HeadConfig config, SolverConfig solver) {
    this(
        config,
        solver,
        (train, weights, standardizer, classes) ->
            local(train, train.rows(), weights, standardizer, classes, solver.matrixBudgetBytes()));
  }

  public FullBatchTrainer(HeadConfig config, SolverConfig solver, TrainData trainData) {
    this.config = config;
    this.solver = solver;
    this.trainData = trainData;
  }

  /**
   * {@code rows} (a subset of {@code split}'s) as local data, with their row weights (indexed by
   * position).
   */
  static LocalSoftmaxData local(
      LabeledRows split,
      int[] rows,
      float[] rowWeights,
      Standardizer standardizer,
      int classes,
      long budgetBytes) {
    int[] labels = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      labels[i] = split.labels()[rows[i]];
    }
    return new LocalSoftmaxData(
        split.spill(), rows, labels, rowWeights, standardizer, classes, budgetBytes);
  }

  /**
   * Trains on {@code train}; {@code auto} solves {@link #L2_PATH} and chooses, otherwise the
   * config's L2 is solved once.
   */
  public Outcome train(LabeledRows train, LabeledRows validation, int classes, boolean auto) {
    int dimension = train.spill().dimension();
    Standardizer standardizer = Standardizer.fit(train.spill(), train.rows(), 1024);
    float[] rowWeights = rowWeights(train, classes);
    long start = System.nanoTime();
    try (SoftmaxData data = trainData.create(train, rowWeights, standardizer, classes);
        LocalSoftmaxData held =
            validation.size() > 0
                ? local(
                    validation,
                    validation.rows(),
                    null,
                    standardizer,
                    classes,
                    solver.matrixBudgetBytes())
                : null) {
      Outcome outcome;
      if (!auto) {
        Solve solve =
            solve(
                data,
                held,
                config.l2(),
                new double[(dimension + 1) * classes],
                "l2=" + label(config.l2()));
        outcome = outcome(solve, List.of(solve.trial(held).choose()), train, standardizer, classes);
      } else if (held != null) {
        outcome = pathOnValidation(data, held, train, standardizer, classes);
      } else {
        outcome = pathByCrossValidation(data, train, rowWeights, standardizer, classes);
      }
      LOG.info(
          String.format(
              Locale.ROOT,
              "lbfgs: L2 %s kept after %d solve(s), %.1f s",
              label(outcome.l2()),
              outcome.path().size(),
              (System.nanoTime() - start) / 1e9));
      return outcome;
    }
  }

  private Outcome pathOnValidation(
      SoftmaxData data,
      LocalSoftmaxData held,
      LabeledRows train,
      Standardizer standardizer,
      int classes) {
    double[] theta = new double[(data.dimension() + 1) * classes];
    List<Trial> trials = new ArrayList<>();
    Solve best = null;
    int bestIndex = -1;
    for (double l2 : L2_PATH) {
      Solve solve = solve(data, held, l2, theta, "l2=" + label(l2));
      theta = solve.theta;
      trials.add(solve.trial(held));
      if (best == null
          || solve.validation.accuracy() > best.validation.accuracy()) { // ties: the stronger stays
        best = solve;
        bestIndex = trials.size() - 1;
      } else if (trials.size() - 1 - bestIndex >= PATH_PATIENCE) {
        LOG.info(
            "lbfgs: {} L2 values in a row below the best validation accuracy; weaker ones are not solved",
            PATH_PATIENCE);
        break;
      }
    }
    trials.set(bestIndex, trials.get(bestIndex).choose());
    return outcome(best, trials, train, standardizer, classes);
  }

  private Outcome pathByCrossValidation(
      SoftmaxData data,
      LabeledRows train,
      float[] rowWeights,
      Standardizer standardizer,
      int classes) {
    int[] rows = train.rows();
    int folds = Math.min(solver.folds(), rows.length);
    if (folds < 2) {
      LOG.warn("lbfgs: too few training rows to cross-validate L2; using {}", config.l2());
      Solve solve =
          solve(
              data,
              null,
              config.l2(),
              new double[(data.dimension() + 1) * classes],
              "l2=" + config.l2());
      return outcome(solve, List.of(solve.trial(null).choose()), train, standardizer, classes);
    }
    LOG.info(
        "lbfgs: no validation split, so L2 is chosen by {}-fold cross-validation on the training split",
        folds);
    int values = L2_PATH.size();
    long[] correct = new long[values];
    double[] loss = new double[values];
    int[] iterations = new int[values];
    for (int fold = 0; fold < folds; fold++) {
      // Row i is held out in fold i mod k: stores keep rows grouped by class, so this spreads every
      // class evenly.
      int[] fit = select(rows, folds, fold, false);
      int[] out = select(rows, folds, fold, true);
      try (LocalSoftmaxData fitData =
              local(
                  train,
                  fit,
                  subset(rowWeights, folds, fold, false),
                  standardizer,
                  classes,
                  solver.matrixBudgetBytes());
          LocalSoftmaxData outData =
              local(train, out, null, standardizer, classes, solver.matrixBudgetBytes())) {
        double[] theta = new double[(data.dimension() + 1) * classes];
        for (int j = 0; j < values; j++) {
          Solve solve =
              solve(
                  fitData,
                  outData,
                  L2_PATH.get(j),
                  theta,
                  String.format(
                      Locale.ROOT, "fold %d/%d l2=%s", fold + 1, folds, label(L2_PATH.get(j))));
          theta = solve.theta;
          correct[j] += solve.validation.correct;
          loss[j] += solve.validation.loss;
          iterations[j] += solve.result.iterations();
        }
      }
    }
    int chosen = 0;
    for (int j = 1; j < values; j++) {
      if (correct[j] > correct[chosen]) { // ties: the stronger stays
        chosen = j;
      }
    }
    double[] theta = new double[(data.dimension() + 1) * classes];
    Solve finalSolve = null;
    List<Trial> trials = new ArrayList<>();
    for (int j = 0; j < values; j++) {
      boolean fitted = j <= chosen;
      if (fitted) {
        finalSolve = solve(data, null, L2_PATH.get(j), theta, "l2=" + label(L2_PATH.get(j)));
        theta = finalSolve.theta;
        iterations[j] += finalSolve.result.iterations();
      }
      trials.add(
          new Trial(
              L2_PATH.get(j),
              (double) correct[j] / rows.length,
              loss[j] / rows.length,
              iterations[j],
              !fitted || finalSolve.result.converged(),
              fitted ? finalSolve.result.gradientNorm() : Double.NaN,
              fitted ? finalSolve.result.value() : Double.NaN,
              j == chosen));
    }
    return outcome(finalSolve, trials, train, standardizer, classes);
  }

  private static int[] select(int[] rows, int folds, int fold, boolean heldOut) {
    return java.util.stream.IntStream.range(0, rows.length)
        .filter(i -> (i % folds == fold) == heldOut)
        .map(i -> rows[i])
        .toArray();
  }

  private static float[] subset(float[] values, int folds, int fold, boolean heldOut) {
    if (values == null) {
      return null;
    }
    int[] positions =
        java.util.stream.IntStream.range(0, values.length)
            .filter(i -> (i % folds == fold) == heldOut)
            .toArray();
    float[] out = new float[positions.length];
    for (int i = 0; i < positions.length; i++) {
      out[i] = values[positions[i]];
    }
    return out;
  }

  /**
   * One minimisation: the minimiser, the solver's account, the learning curve and the final scores.
   */
  private record Solve(
      double l2,
      double[] theta,
      Lbfgs.Result result,
      List<EpochStats> history,
      SoftmaxSums train,
      SoftmaxSums validation) {
    Trial trial(LocalSoftmaxData held) {
      return new Trial(
          l2,
          held == null ? Double.NaN : validation.accuracy(),
          held == null ? Double.NaN : validation.meanLoss(),
          result.iterations(),
          result.converged(),
          result.gradientNorm(),
          result.value(),
          false);
    }
  }

  private Solve solve(SoftmaxData data, SoftmaxData held, double l2, double[] start, String name) {
    long begin = System.nanoTime();
    int d = data.dimension();
    int k = data.classes();
    SoftmaxObjective objective = new SoftmaxObjective(data, l2);
    List<EpochStats> history = new ArrayList<>();
    Lbfgs.Listener listener =
        (iteration, x, value, gradientNorm) -> {
          SoftmaxSums onTrain = trainSums(objective, data, x);
          SoftmaxSums onHeld =
              held == null
                  ? null
                  : held.sums(
                      SoftmaxObjective.weights(x, d, k), SoftmaxObjective.biases(x, d, k), false);
          history.add(stats(iteration, onTrain, onHeld));
          if (solver.verbose()) {
            LOG.info(
                String.format(
                    Locale.ROOT,
                    "%s iter %d loss %.6f |grad| %.2e train acc %.4f%s",
                    name,
                    iteration,
                    value,
                    gradientNorm,
                    onTrain.accuracy(),
                    onHeld == null
                        ? ""
                        : String.format(
                            Locale.ROOT,
                            " validation loss %.4f acc %.4f",
                            onHeld.meanLoss(),
                            onHeld.accuracy())));
          }
        };
    Lbfgs.Result result =
        Lbfgs.minimize(
            objective,
            start,
            new Lbfgs.Settings(MEMORY, solver.maxIterations(), solver.tolerance()),
            listener);
    SoftmaxSums onTrain = trainSums(objective, data, result.x());
    SoftmaxSums onHeld =
        held == null
            ? null
            : held.sums(
                SoftmaxObjective.weights(result.x(), d, k),
                SoftmaxObjective.biases(result.x(), d, k),
                false);
    if (history
        .isEmpty()) { // already converged where it started (a warm start): one point for the curves
      history.add(stats(1, onTrain, onHeld));
    }
    LOG.info(
        String.format(
            Locale.ROOT,
            "%s: %d iterations (%d evaluations), %s, |grad| %.2e, loss %.6f, "
                + "train acc %.4f%s, %.1f s",
            name,
            result.iterations(),
            result.evaluations(),
            switch (result.stop()) {
              case CONVERGED -> "converged";
              case MAX_ITERATIONS -> "stopped at --max-iterations " + solver.maxIterations();
              case NO_PROGRESS -> "at the precision limit";
            },
            result.gradientNorm(),
            result.value(),
            onTrain.accuracy(),
            onHeld == null
                ? ""
                : String.format(
                    Locale.ROOT,
                    ", validation loss %.4f acc %.4f",
                    onHeld.meanLoss(),
                    onHeld.accuracy()),
            (System.nanoTime() - begin) / 1e9));
    return new Solve(l2, result.x(), result, history, onTrain, onHeld);
  }

  private static SoftmaxSums trainSums(SoftmaxObjective objective, SoftmaxData data, double[] x) {
    SoftmaxSums cached = objective.sumsAt(x);
    return cached != null
        ? cached
        : data.sums(
            SoftmaxObjective.weights(x, data.dimension(), data.classes()),
            SoftmaxObjective.biases(x, data.dimension(), data.classes()),
            false);
  }

  private static EpochStats stats(int iteration, SoftmaxSums train, SoftmaxSums held) {
    return new EpochStats(
        iteration,
        train.meanLoss(),
        train.accuracy(),
        held == null ? Double.NaN : held.meanLoss(),
        held == null ? Double.NaN : held.accuracy());
  }

  private Outcome outcome(
      Solve solve, List<Trial> path, LabeledRows train, Standardizer standardizer, int classes) {
    int d = train.spill().dimension();
    HeadTrainer trainer = new HeadTrainer(config.withL2(solve.l2));
    MultiLayerNetwork network = trainer.newNetwork(d, classes, train);
    network
        .getLayer(0)
        .getParam("W")
        .assign(
            Nd4j.create(
                SoftmaxObjective.weights(solve.theta, d, classes), new long[] {d, classes}, 'c'));
    network
        .getLayer(0)
        .getParam("b")
        .assign(
            Nd4j.create(
                SoftmaxObjective.biases(solve.theta, d, classes), new long[] {1, classes}, 'c'));
    HeadTrainer.foldStandardization(network, standardizer);
    return new Outcome(
        new HeadTrainer.Result(network, solve.history, solve.history.size()), solve.l2, path);
  }

  /** Each training row's loss weight: balanced class weights, or null for none. */
  private float[] rowWeights(LabeledRows train, int classes) {
    float[] perClass = HeadTrainer.classWeights(config, train, classes);
    if (perClass == null) {
      return null;
    }
    float[] weights = new float[train.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = perClass[train.labels()[train.rows()[i]]];
    }
    return weights;
  }

  static String label(double l2) {
    return Double.toString(l2).replace(".0E", "e").replace("E", "e");
  }
}
