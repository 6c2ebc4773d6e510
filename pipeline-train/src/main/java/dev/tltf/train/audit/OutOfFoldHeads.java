package dev.tltf.train.audit;

import dev.tltf.train.model.FullBatchTrainer;
import dev.tltf.train.model.HeadConfig;
import dev.tltf.train.model.HeadTrainer;
import dev.tltf.train.model.HeadTrainer.LabeledRows;
import dev.tltf.train.model.SolverConfig;
import dev.tltf.train.snapshot.VectorSpill;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Out-of-fold class probabilities: for each fold, a head trained as train-head trains one (same
 * trainer, same settings) on the other folds, then applied to this fold, so that no image is scored
 * by a head that saw its label. Within the other folds, images of the stable split's validation
 * part are the head's early-stopping set, as in train-head. This is the one place the audit touches
 * the trainer: re-point {@link #trainFold} at another solver and nothing else changes.
 */
public final class OutOfFoldHeads {
  private static final Logger LOG = LoggerFactory.getLogger(OutOfFoldHeads.class);
  private static final int PREDICT_BATCH = 1024;

  private final HeadConfig config;

  public OutOfFoldHeads(HeadConfig config) {
    this.config = config;
  }

  /**
   * Out-of-fold class probabilities: each fold's rows scored by a head trained on the other folds.
   *
   * @param vectors raw stored vectors, row = image
   * @param labels class per row; rows with a negative label take no part
   * @param fold fold per row
   * @param validation whether a row belongs to the stable split's validation part
   * @return probabilities per row (null for rows that take no part)
   */
  public float[][] probabilities(
      VectorSpill vectors, int[] labels, int[] fold, boolean[] validation, int folds, int classes) {
    float[][] out = new float[labels.length][];
    for (int f = 0; f < folds; f++) {
      int held = f;
      int[] train = rows(labels, r -> fold[r] != held && !validation[r]);
      int[] early = rows(labels, r -> fold[r] != held && validation[r]);
      int[] scored = rows(labels, r -> fold[r] == held);
      if (scored.length == 0) {
        continue;
      }
      LOG.info(
          "Out-of-fold head {}/{}: {} train / {} early-stopping / {} scored images",
          f + 1,
          folds,
          train.length,
          early.length,
          scored.length);
      MultiLayerNetwork network =
          trainFold(
              new LabeledRows(vectors, labels, train),
              new LabeledRows(vectors, labels, early),
              classes);
      predict(network, vectors, scored, out);
    }
    return out;
  }

  /**
   * The adapter to the trainer: a head network that takes raw vectors, from the solver train-head
   * would pick for these settings (the full-batch L-BFGS solver for softmax heads, mini-batches for
   * hidden layers).
   */
  MultiLayerNetwork trainFold(LabeledRows train, LabeledRows earlyStopping, int classes) {
    SolverConfig solver = SolverConfig.defaults();
    if (solver.resolve(config) == SolverConfig.Solver.LBFGS) {
      return new FullBatchTrainer(config, solver)
          .train(train, earlyStopping, classes, false)
          .result()
          .network();
    }
    return new HeadTrainer(config).train(train, earlyStopping, classes).network();
  }

  private static void predict(
      MultiLayerNetwork network, VectorSpill vectors, int[] rows, float[][] out) {
    int dimension = vectors.dimension();
    float[] batch = new float[PREDICT_BATCH * dimension];
    for (int start = 0; start < rows.length; start += PREDICT_BATCH) {
      int count = Math.min(PREDICT_BATCH, rows.length - start);
      int[] chunk = Arrays.copyOfRange(rows, start, start + count);
      vectors.read(chunk, count, batch);
      float[] exact = count == PREDICT_BATCH ? batch : Arrays.copyOf(batch, count * dimension);
      try (INDArray input = Nd4j.create(exact, new long[] {count, dimension}, 'c')) {
        float[][] probabilities = network.output(input, false).toFloatMatrix();
        for (int i = 0; i < count; i++) {
          out[chunk[i]] = probabilities[i];
        }
      }
    }
  }

  private static int[] rows(int[] labels, java.util.function.IntPredicate keep) {
    return IntStream.range(0, labels.length).filter(r -> labels[r] >= 0 && keep.test(r)).toArray();
  }
}
