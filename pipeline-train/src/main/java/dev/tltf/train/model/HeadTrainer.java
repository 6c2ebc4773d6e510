package dev.tltf.train.model;

import dev.tltf.common.NativeSetup;
import dev.tltf.train.snapshot.VectorSpill;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a head on standardised vectors: shuffled mini-batches, a fixed seed (same data and config
 * → same head), the parameters of the epoch with the lowest validation loss kept (stopping after
 * {@code patience} epochs without improvement; {@link EarlyStopping}). Returns a network that takes
 * raw vectors: the standardisation is folded into the first layer.
 */
public final class HeadTrainer implements EpochTrainer {
  static {
    NativeSetup.ensure();
  }

  private static final Logger LOG = LoggerFactory.getLogger(HeadTrainer.class);

  private final HeadConfig config;
  private final String name;
  private final boolean verbose;

  public HeadTrainer(HeadConfig config) {
    this(config, "sgd", false);
  }

  /**
   * @param name what the log lines of this trial start with (e.g. {@code l2=0.01 lr=0.003})
   * @param verbose one log line per epoch; otherwise one per trial
   */
  public HeadTrainer(HeadConfig config, String name, boolean verbose) {
    this.config = config;
    this.name = name;
    this.verbose = verbose;
  }

  /**
   * Loss and accuracy of one epoch; validation figures are NaN when there is no validation split.
   */
  public record EpochStats(
      int epoch,
      double trainLoss,
      double trainAccuracy,
      double validationLoss,
      double validationAccuracy) {}

  /** The trained head network (raw vectors in) and how training went. */
  public record Result(MultiLayerNetwork network, List<EpochStats> history, int bestEpoch) {
    /**
     * Validation accuracy at the kept epoch (train accuracy when there was no validation split).
     */
    public double bestValidationAccuracy() {
      EpochStats best = history.get(bestEpoch - 1);
      return Double.isNaN(best.validationAccuracy())
          ? best.trainAccuracy()
          : best.validationAccuracy();
    }
  }

  /**
   * One split with its labels; rows with label {@link dev.tltf.train.labels.Labeling#NONE} are
   * skipped.
   */
  public record LabeledRows(VectorSpill spill, int[] labels, int[] rows) {
    public static LabeledRows of(VectorSpill spill, int[] labels) {
      int[] rows =
          java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] >= 0).toArray();
      return new LabeledRows(spill, labels, rows);
    }

    public int size() {
      return rows.length;
    }

    /**
     * At most {@code limit} of these rows, chosen with a fixed seed: the train-split figures of the
     * learning curves come from this sample, so that scoring an epoch costs a bounded pass however
     * large the split.
     */
    public LabeledRows sample(int limit, long seed) {
      if (rows.length <= limit) {
        return this;
      }
      int[] shuffled = rows.clone();
      shuffle(shuffled, new Random(seed));
      int[] chosen = Arrays.copyOf(shuffled, limit);
      Arrays.sort(chosen); // read in file order
      return new LabeledRows(spill, labels, chosen);
    }
  }

  /** Rows of the training split scored after each epoch for the learning curves. */
  static final int TRAIN_SCORE_SAMPLE = 10_000;

  @Override
  public Result train(LabeledRows train, LabeledRows validation, int classes) {
    try (SingleThreadedNd4j threads = SingleThreadedNd4j.enter()) {
      return trainSingleThreaded(train, validation, classes);
    }
  }

  private Result trainSingleThreaded(LabeledRows train, LabeledRows validation, int classes) {
    int dimension = train.spill().dimension();
    Standardizer standardizer = Standardizer.fit(train.spill(), train.rows(), 1024);
    MultiLayerNetwork network = newNetwork(dimension, classes, train);

    Random random = new Random(config.seed());
    LabeledRows trainSample = train.sample(TRAIN_SCORE_SAMPLE, config.seed());
    int[] order = train.rows().clone();
    float[] features = new float[config.batchSize() * dimension];
    EarlyStopping<INDArray> stopping =
        new EarlyStopping<>(config.patience(), validation.size() > 0);
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      shuffle(order, random);
      for (int start = 0; start < order.length; start += config.batchSize()) {
        int count = Math.min(config.batchSize(), order.length - start);
        int[] rows = Arrays.copyOfRange(order, start, start + count);
        train.spill().read(rows, count, features);
        standardizer.apply(features, count);
        network.fit(
            new DataSet(matrix(features, count, dimension), oneHot(train.labels(), rows, classes)));
      }
      Score onTrain = score(network, trainSample, standardizer, classes);
      Score onValidation =
          validation.size() > 0 ? score(network, validation, standardizer, classes) : Score.NONE;
      EpochStats stats =
          new EpochStats(
              epoch, onTrain.loss, onTrain.accuracy, onValidation.loss, onValidation.accuracy);
      if (verbose) {
        LOG.info(
            String.format(
                Locale.ROOT,
                "%s epoch %d: train loss %.4f acc %.3f, validation loss %.4f acc %.3f",
                name,
                epoch,
                onTrain.loss,
                onTrain.accuracy,
                onValidation.loss,
                onValidation.accuracy));
      }
      if (stopping.stop(stats, () -> network.params().dup())) {
        if (verbose) {
          LOG.info("{}: stopping early, no improvement for {} epochs", name, config.patience());
        }
        break;
      }
    }
    stopping.restore(network::setParams);
    LOG.info(stopping.summary(name));
    foldStandardization(network, standardizer);
    return new Result(network, stopping.history(), stopping.bestEpoch());
  }

  /** A new, initialised network for this config (class weights from the training labels). */
  MultiLayerNetwork newNetwork(int dimension, int classes, LabeledRows train) {
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            configuration(dimension, classes, classWeights(config, train, classes)));
    network.init();
    return network;
  }

  private MultiLayerConfiguration configuration(int dimension, int classes, float[] classWeights) {
    NeuralNetConfiguration.ListBuilder layers =
        new NeuralNetConfiguration.Builder()
            .seed(config.seed())
            .dataType(DataType.FLOAT)
            .updater(updater())
            .l2(config.l2())
            .weightInit(WeightInit.XAVIER)
            .list();
    int inputs = dimension;
    if (config.hidden() > 0) {
      layers.layer(
          new DenseLayer.Builder()
              .nIn(dimension)
              .nOut(config.hidden())
              .activation(Activation.RELU)
              .weightInit(WeightInit.RELU)
              .build());
      inputs = config.hidden();
    }
    OutputLayer.Builder output =
        new OutputLayer.Builder()
            .lossFunction(
                classWeights == null ? new LossMCXENT() : new LossMCXENT(Nd4j.create(classWeights)))
            .nIn(inputs)
            .nOut(classes)
            .activation(Activation.SOFTMAX);
    if (config.dropout() > 0) {
      output.dropOut(1 - config.dropout()); // DL4J takes the probability of keeping an input
    }
    return layers.layer(output.build()).build();
  }

  private IUpdater updater() {
    return switch (config.optimizer()) {
      case ADAM -> new Adam(config.learningRate());
      case RMSPROP -> new RmsProp(config.learningRate());
      case SGD -> new Sgd(config.learningRate());
    };
  }

  /** Balanced weights, total / (classes × count), or null for none. */
  static float[] classWeights(HeadConfig config, LabeledRows train, int classes) {
    if (config.classWeights() == HeadConfig.ClassWeights.NONE) {
      return null;
    }
    long[] counts = new long[classes];
    for (int row : train.rows()) {
      counts[train.labels()[row]]++;
    }
    float[] weights = new float[classes];
    for (int c = 0; c < classes; c++) {
      weights[c] = counts[c] == 0 ? 1f : (float) train.size() / (classes * counts[c]);
    }
    return weights;
  }

  /**
   * softmax(((x − μ) / σ) W + b) = softmax(x (W / σ) + (b − (μ / σ) W)): the same head for raw
   * vectors; with a hidden layer, the same identity holds for its pre-activation.
   */
  static void foldStandardization(MultiLayerNetwork network, Standardizer standardizer) {
    INDArray weights = network.getLayer(0).getParam("W");
    INDArray bias = network.getLayer(0).getParam("b");
    INDArray inverseStd = Nd4j.create(standardizer.std()).rdiv(1f).reshape(-1, 1);
    INDArray meanOverStd =
        Nd4j.create(standardizer.mean()).reshape(1, -1).mul(inverseStd.reshape(1, -1));
    INDArray shift = meanOverStd.mmul(weights);
    weights.muliColumnVector(inverseStd);
    bias.subi(shift.reshape(bias.shape()));
  }

  private static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  static INDArray matrix(float[] values, int rows, int columns) {
    float[] exact =
        values.length == rows * columns ? values : Arrays.copyOf(values, rows * columns);
    return Nd4j.create(exact, new long[] {rows, columns}, 'c');
  }

  private static INDArray oneHot(int[] labels, int[] rows, int classes) {
    float[] oneHot = new float[rows.length * classes];
    for (int i = 0; i < rows.length; i++) {
      oneHot[i * classes + labels[rows[i]]] = 1f;
    }
    return Nd4j.create(oneHot, new long[] {rows.length, classes}, 'c');
  }

  record Score(double loss, double accuracy) {
    static final Score NONE = new Score(Double.NaN, Double.NaN);
  }

  /** Mean cross-entropy (unweighted, without the L2 term) and accuracy over a whole split. */
  static Score score(
      MultiLayerNetwork network, LabeledRows split, Standardizer standardizer, int classes) {
    int dimension = split.spill().dimension();
    int batch = 1024;
    float[] features = new float[batch * dimension];
    double loss = 0;
    long correct = 0;
    for (int start = 0; start < split.size(); start += batch) {
      int count = Math.min(batch, split.size() - start);
      int[] rows = Arrays.copyOfRange(split.rows(), start, start + count);
      split.spill().read(rows, count, features);
      standardizer.apply(features, count);
      float[][] probabilities =
          network.output(matrix(features, count, dimension), false).toFloatMatrix();
      for (int i = 0; i < count; i++) {
        int truth = split.labels()[rows[i]];
        loss -= Math.log(Math.max(probabilities[i][truth], 1e-12));
        if (argMax(probabilities[i]) == truth) {
          correct++;
        }
      }
    }
    return new Score(loss / split.size(), (double) correct / split.size());
  }

  static int argMax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
