package dev.tltf.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.train.model.HeadTrainer.LabeledRows;
import dev.tltf.train.snapshot.VectorSpill;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class FullBatchTrainerTest {
  private static final SolverConfig TIGHT =
      new SolverConfig(SolverConfig.Solver.LBFGS, 1000, 1e-7, 2048, 5, false);

  private static VectorSpill spill(double[][] rows) {
    VectorSpill spill = VectorSpill.create(rows[0].length);
    for (int i = 0; i < rows.length; i++) {
      float[] v = new float[rows[i].length];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) rows[i][j];
      }
      spill.append(v, "r" + i, "id" + i);
    }
    spill.flush();
    return spill;
  }

  private static HeadConfig config(double l2, HeadConfig.ClassWeights weights) {
    return new HeadConfig(1, 0.01, 16, l2, 42, 0, 0, 0, HeadConfig.Optimizer.ADAM, weights);
  }

  private static double[][] probabilities(MultiLayerNetwork network, double[][] raw) {
    float[] flat = new float[raw.length * raw[0].length];
    for (int i = 0; i < raw.length; i++) {
      for (int j = 0; j < raw[0].length; j++) {
        flat[i * raw[0].length + j] = (float) raw[i][j];
      }
    }
    return network
        .output(Nd4j.create(flat, new long[] {raw.length, raw[0].length}, 'c'))
        .toDoubleMatrix();
  }

  /** Population mean and deviation per column, as the head standardises. */
  private static double[][] standardized(double[][] raw) {
    int n = raw.length;
    int d = raw[0].length;
    double[][] out = new double[n][d];
    for (int j = 0; j < d; j++) {
      double mean = 0;
      double squares = 0;
      for (double[] row : raw) {
        mean += row[j] / n;
      }
      for (double[] row : raw) {
        squares += (row[j] - mean) * (row[j] - mean) / n;
      }
      for (int i = 0; i < n; i++) {
        out[i][j] = (raw[i][j] - mean) / Math.sqrt(squares);
      }
    }
    return out;
  }

  @Test
  void solvesTheSymmetricOneDimensionalProblemToItsHandComputedOptimum() {
    // x = -2, -1, 1, 2 (classes 0, 0, 1, 1); standardised z = x / √2.5. By symmetry b = 0 and W =
    // (−w, w), so
    // f(w) = mean log(1 + exp(−2w|z|)) + λw², and f'(w) = mean(−2|z| σ(−2w|z|)) + 2λw = 0 is solved
    // by bisection.
    double l2 = 0.1;
    double[] z = {2 / Math.sqrt(2.5), 1 / Math.sqrt(2.5), 1 / Math.sqrt(2.5), 2 / Math.sqrt(2.5)};
    double lo = 0;
    double hi = 10;
    for (int i = 0; i < 200; i++) {
      double w = (lo + hi) / 2;
      double slope = 2 * l2 * w;
      for (double v : z) {
        slope -= 2 * v / (1 + Math.exp(2 * w * v)) / z.length;
      }
      if (slope > 0) {
        hi = w;
      } else {
        lo = w;
      }
    }
    double w = lo;
    double optimum = l2 * w * w;
    for (double v : z) {
      optimum += Math.log1p(Math.exp(-2 * w * v)) / z.length;
    }
    double[][] raw = {{-2}, {-1}, {1}, {2}};
    try (VectorSpill spill = spill(raw)) {
      LabeledRows train = LabeledRows.of(spill, new int[] {0, 0, 1, 1});
      FullBatchTrainer.Outcome outcome =
          new FullBatchTrainer(config(l2, HeadConfig.ClassWeights.NONE), TIGHT)
              .train(train, LabeledRows.of(spill, new int[] {-1, -1, -1, -1}), 2, false);
      FullBatchTrainer.Trial trial = outcome.path().get(0);
      assertTrue(trial.converged() && trial.gradientNorm() <= 1e-7, trial.toString());
      assertEquals(optimum, trial.trainLoss(), 1e-6 * optimum, "f at the solver's minimiser");
      double[][] p = probabilities(outcome.result().network(), new double[][] {{1}});
      assertEquals(
          1 / (1 + Math.exp(-2 * w / Math.sqrt(2.5))), p[0][1], 1e-5, "P(class 1 | x = 1)");
    }
  }

  /**
   * Three overlapping Gaussian classes of unequal size in 3 dimensions, with offsets and scales to
   * standardise.
   */
  private static double[][] overlapping(int n, long seed, int[] labels) {
    Random random = new Random(seed);
    double[][] rows = new double[n][3];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 6 == 0 ? 2 : i % 2; // classes of 1/2, 1/3 and 1/6 of the rows
      for (int j = 0; j < 3; j++) {
        rows[i][j] = (j + 1) * 3 + (j + 1) * (random.nextGaussian() + (labels[i] == j ? 1.2 : 0));
      }
    }
    return rows;
  }

  @Test
  void reachesTheOptimumThatNewtonsMethodFindsWithAndWithoutClassWeights() {
    int[] labels = new int[60];
    double[][] raw = overlapping(60, 3, labels);
    double[][] x = standardized(raw);
    for (HeadConfig.ClassWeights mode : HeadConfig.ClassWeights.values()) {
      for (double l2 : new double[] {0.1, 1e-3}) {
        double[] weights = null;
        if (mode == HeadConfig.ClassWeights.BALANCED) {
          int[] counts = new int[3];
          for (int label : labels) {
            counts[label]++;
          }
          weights = new double[labels.length];
          for (int i = 0; i < labels.length; i++) {
            weights[i] = (double) labels.length / (3 * counts[labels[i]]);
          }
        }
        NewtonReference reference = new NewtonReference(x, labels, weights, 3, l2);
        double[] theta = reference.minimize();
        double[] gradient = new double[theta.length];
        double optimum = reference.evaluate(theta, gradient, null);
        assertTrue(Lbfgs.norm(gradient) < 1e-8, "the reference converged: " + Lbfgs.norm(gradient));
        try (VectorSpill spill = spill(raw)) {
          LabeledRows train = LabeledRows.of(spill, labels);
          FullBatchTrainer.Outcome outcome =
              new FullBatchTrainer(config(l2, mode), TIGHT)
                  .train(train, LabeledRows.of(spill, new int[60]).sample(0, 1), 3, false);
          FullBatchTrainer.Trial trial = outcome.path().get(0);
          String what = mode + " l2 " + l2 + ": " + trial;
          assertTrue(trial.converged() && trial.gradientNorm() <= 1e-7, what);
          assertEquals(optimum, trial.trainLoss(), 1e-4 * optimum, what);
          double[][] ours = probabilities(outcome.result().network(), raw);
          for (int i = 0; i < raw.length; i++) {
            assertArrayEquals(
                reference.probabilities(theta, x[i]), ours[i], 1e-4, what + ", row " + i);
          }
        }
      }
    }
  }

  @Test
  void sameDataGivesTheSameHeadWhetherTheMatrixIsInMemoryOrStreamed() {
    int[] labels = new int[300];
    double[][] raw = overlapping(300, 5, labels);
    SolverConfig inMemory = SolverConfig.defaults();
    SolverConfig streamed = new SolverConfig(SolverConfig.Solver.AUTO, 500, 1e-5, 0, 5, false);
    try (VectorSpill spill = spill(raw)) {
      LabeledRows train = LabeledRows.of(spill, labels);
      LabeledRows none = train.sample(0, 1);
      HeadConfig config = config(1e-3, HeadConfig.ClassWeights.NONE);
      var first =
          new FullBatchTrainer(config, inMemory)
              .train(train, none, 3, false)
              .result()
              .network()
              .params();
      var again =
          new FullBatchTrainer(config, inMemory)
              .train(train, none, 3, false)
              .result()
              .network()
              .params();
      var fromSpill =
          new FullBatchTrainer(config, streamed)
              .train(train, none, 3, false)
              .result()
              .network()
              .params();
      assertEquals(first, again, "same data, same head");
      assertEquals(first, fromSpill, "the streamed blocks are the same blocks");
    }
  }

  @Test
  void autoSolvesThePathStrongToWeakAndChoosesOnValidationOrByFolds() {
    int[] labels = new int[400];
    double[][] raw = overlapping(400, 9, labels);
    int[] trainLabels = labels.clone();
    int[] validationLabels = labels.clone();
    for (int i = 0; i < labels.length; i++) {
      if (i % 5 == 0) {
        trainLabels[i] = -1;
      } else {
        validationLabels[i] = -1;
      }
    }
    try (VectorSpill spill = spill(raw)) {
      LabeledRows train = LabeledRows.of(spill, trainLabels);
      LabeledRows validation = LabeledRows.of(spill, validationLabels);
      HeadConfig config = config(1e-4, HeadConfig.ClassWeights.NONE);
      FullBatchTrainer.Outcome outcome =
          new FullBatchTrainer(config, SolverConfig.defaults()).train(train, validation, 3, true);
      List<FullBatchTrainer.Trial> path = outcome.path();
      assertEquals(
          FullBatchTrainer.L2_PATH.subList(0, path.size()),
          path.stream().map(t -> t.l2()).toList());
      List<FullBatchTrainer.Trial> chosen =
          path.stream().filter(FullBatchTrainer.Trial::chosen).toList();
      assertEquals(1, chosen.size());
      assertEquals(chosen.get(0).l2(), outcome.l2());
      double best =
          path.stream().mapToDouble(FullBatchTrainer.Trial::validationAccuracy).max().orElseThrow();
      assertEquals(best, chosen.get(0).validationAccuracy());
      for (FullBatchTrainer.Trial t : path) {
        if (t.l2() > outcome.l2()) {
          assertTrue(t.validationAccuracy() < best, "ties go to the stronger L2: " + path);
        }
      }

      FullBatchTrainer.Outcome folds =
          new FullBatchTrainer(config, SolverConfig.defaults())
              .train(train, train.sample(0, 1), 3, true);
      assertEquals(
          FullBatchTrainer.L2_PATH.size(),
          folds.path().size(),
          "cross-validation scores every value");
      assertEquals(1, folds.path().stream().filter(FullBatchTrainer.Trial::chosen).count());
      assertFalse(Double.isNaN(folds.path().get(0).validationAccuracy()));
      assertTrue(folds.path().get(0).validationAccuracy() > 0.5, folds.path().toString());
    }
  }
}
