package dev.tltf.train.model;

import dev.tltf.common.NativeSetup;
import dev.tltf.train.data.VectorSpill;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a softmax head on standardised vectors with Adam, shuffled mini-batches and a fixed seed, keeps the
 * parameters of the epoch with the lowest validation loss (stopping after {@code patience} epochs without
 * improvement), and returns a network that takes raw vectors: the standardisation is folded into the weights.
 */
public final class HeadTrainer {
  static {
    NativeSetup.ensure();
  }

  private static final Logger LOG = LoggerFactory.getLogger(HeadTrainer.class);

  private final HeadConfig config;

  public HeadTrainer(HeadConfig config) {
    this.config = config;
  }

  /** Loss and accuracy of one epoch; validation figures are NaN when there is no validation split. */
  public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
      double validationAccuracy) {}

  /** The trained head network (raw vectors in) and how training went. */
  public record Result(MultiLayerNetwork network, List<EpochStats> history, int bestEpoch) {}

  public Result train(VectorSpill train, VectorSpill validation, int classes) {
    int dimension = train.dimension();
    Standardizer standardizer = Standardizer.fit(train, 1024);
    MultiLayerNetwork network = new MultiLayerNetwork(configuration(dimension, classes));
    network.init();

    Random random = new Random(config.seed());
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    float[] features = new float[config.batchSize() * dimension];
    List<EpochStats> history = new ArrayList<>();
    INDArray best = null;
    int bestEpoch = 0;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      shuffle(order, random);
      for (int start = 0; start < order.length; start += config.batchSize()) {
        int count = Math.min(config.batchSize(), order.length - start);
        int[] rows = java.util.Arrays.copyOfRange(order, start, start + count);
        train.read(rows, count, features);
        standardizer.apply(features, count);
        network.fit(new DataSet(matrix(features, count, dimension), oneHot(train, rows, count, classes)));
      }
      Score onTrain = score(network, train, standardizer, classes);
      Score onValidation = validation.size() > 0 ? score(network, validation, standardizer, classes) : Score.NONE;
      history.add(new EpochStats(epoch, onTrain.loss, onTrain.accuracy, onValidation.loss, onValidation.accuracy));
      LOG.info(String.format("epoch %d: train loss %.4f acc %.3f, validation loss %.4f acc %.3f", epoch,
          onTrain.loss, onTrain.accuracy, onValidation.loss, onValidation.accuracy));
      double monitored = validation.size() > 0 ? onValidation.loss : onTrain.loss;
      if (monitored < bestLoss) {
        bestLoss = monitored;
        bestEpoch = epoch;
        best = network.params().dup();
      } else if (config.patience() > 0 && epoch - bestEpoch >= config.patience()) {
        LOG.info("Stopping early: no improvement for {} epochs; keeping epoch {}", config.patience(), bestEpoch);
        break;
      }
    }
    if (best != null) {
      network.setParams(best);
    }
    foldStandardization(network, standardizer);
    return new Result(network, history, bestEpoch);
  }

  private MultiLayerConfiguration configuration(int dimension, int classes) {
    return new NeuralNetConfiguration.Builder()
        .seed(config.seed())
        .dataType(DataType.FLOAT)
        .updater(new Adam(config.learningRate()))
        .l2(config.l2())
        .weightInit(WeightInit.XAVIER)
        .list()
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(dimension)
            .nOut(classes)
            .activation(Activation.SOFTMAX)
            .build())
        .build();
  }

  /**
   * softmax(((x − μ) / σ) W + b) = softmax(x (W / σ) + (b − (μ / σ) W)): the same head for raw vectors.
   */
  static void foldStandardization(MultiLayerNetwork network, Standardizer standardizer) {
    INDArray weights = network.getLayer(0).getParam("W");
    INDArray bias = network.getLayer(0).getParam("b");
    INDArray inverseStd = Nd4j.create(standardizer.std()).rdiv(1f).reshape(-1, 1);
    INDArray meanOverStd = Nd4j.create(standardizer.mean()).reshape(1, -1).mul(inverseStd.reshape(1, -1));
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

  private static INDArray matrix(float[] values, int rows, int columns) {
    float[] exact = values.length == rows * columns ? values : java.util.Arrays.copyOf(values, rows * columns);
    return Nd4j.create(exact, new long[] {rows, columns}, 'c');
  }

  private static INDArray oneHot(VectorSpill spill, int[] rows, int count, int classes) {
    float[] labels = new float[count * classes];
    for (int i = 0; i < count; i++) {
      labels[i * classes + spill.label(rows[i])] = 1f;
    }
    return Nd4j.create(labels, new long[] {count, classes}, 'c');
  }

  private record Score(double loss, double accuracy) {
    static final Score NONE = new Score(Double.NaN, Double.NaN);
  }

  /** Mean cross-entropy (without the L2 term) and accuracy over a whole split. */
  private static Score score(MultiLayerNetwork network, VectorSpill spill, Standardizer standardizer, int classes) {
    int dimension = spill.dimension();
    int batch = 1024;
    float[] features = new float[batch * dimension];
    int[] rows = new int[batch];
    double loss = 0;
    long correct = 0;
    for (int start = 0; start < spill.size(); start += batch) {
      int count = Math.min(batch, spill.size() - start);
      for (int i = 0; i < count; i++) {
        rows[i] = start + i;
      }
      spill.read(rows, count, features);
      standardizer.apply(features, count);
      float[][] probabilities = network.output(matrix(features, count, dimension), false).toFloatMatrix();
      for (int i = 0; i < count; i++) {
        int truth = spill.label(rows[i]);
        loss -= Math.log(Math.max(probabilities[i][truth], 1e-12));
        if (argMax(probabilities[i]) == truth) {
          correct++;
        }
      }
    }
    return new Score(loss / spill.size(), (double) correct / spill.size());
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
