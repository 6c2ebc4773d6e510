package dev.tltf.features.backbone;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * InceptionV3 up to {@code avg_pool}, exactly as {@code
 * keras.applications.InceptionV3(include_top=False, pooling='avg')} builds it, in DL4J. Layer names
 * follow the official weight file: the N-th {@code conv2d_bn} is {@code conv2d_N} → {@code
 * batch_normalization_N} → {@code activation_N}, N = 1..94, created in Keras' order.
 *
 * <p>Each setting below that differs from DL4J's default guards against a silent wrong number:
 * batch norm with eps 1e-3, no log-std and gamma 1 (Keras' {@code scale=False}); identity
 * activations unless ReLU is meant (DL4J's global default is sigmoid); 'valid' as {@link
 * ConvolutionMode#Truncate}; average pools that exclude padding from the divisor, as TensorFlow's
 * do; global pooling set to AVG (DL4J defaults to MAX).
 */
public final class InceptionV3 {
  static {
    OneDnnLayerHelpers.ensure();
  }

  public static final String MODEL_NAME = "InceptionV3";
  public static final String INPUT = "input";
  public static final String OUTPUT = "avg_pool";
  public static final int FEATURE_DIMENSION = 2048;
  public static final int CONV_LAYERS = 94;

  /**
   * The smallest input Keras accepts for InceptionV3; every valid-padded stage still has at least 1
   * pixel.
   */
  public static final int MIN_INPUT_SIZE = 75;

  public static final int DEFAULT_INPUT_SIZE = 299;

  private final GraphBuilder graph;
  private final boolean foldedBatchNorm;
  private int convCount;
  private int maxPoolCount;
  private int avgPoolCount;

  private InceptionV3(GraphBuilder graph, boolean foldedBatchNorm) {
    this.graph = graph;
    this.foldedBatchNorm = foldedBatchNorm;
  }

  /**
   * The graph configuration for square inputs of {@code inputSize} pixels, NCHW, float32: the
   * reference graph, with Keras' layers one for one (what the weight file loads into and what
   * export writes).
   */
  public static ComputationGraphConfiguration configuration(int inputSize, long seed) {
    return configuration(inputSize, seed, false);
  }

  /**
   * The inference-only variant of {@link #configuration}: each {@code conv2d_bn} is one {@code
   * conv2d_N} layer with a bias and a ReLU, into which {@link BatchNormFolding} folds the batch
   * norm. Same function at inference, two fewer layers (and two fewer passes over each activation)
   * per convolution.
   */
  public static ComputationGraphConfiguration foldedConfiguration(int inputSize) {
    return configuration(inputSize, 0, true);
  }

  private static ComputationGraphConfiguration configuration(
      int inputSize, long seed, boolean foldedBatchNorm) {
    if (inputSize < MIN_INPUT_SIZE) {
      throw new IllegalArgumentException(
          "Invalid input size: " + inputSize + " (must be ≥ " + MIN_INPUT_SIZE + ")");
    }
    GraphBuilder graph =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .activation(Activation.IDENTITY)
            .weightInit(WeightInit.RELU)
            .convolutionMode(ConvolutionMode.Same)
            .graphBuilder()
            .addInputs(INPUT)
            .setInputTypes(InputType.convolutional(inputSize, inputSize, 3, CNN2DFormat.NCHW));
    new InceptionV3(graph, foldedBatchNorm).build();
    return graph.setOutputs(OUTPUT).build();
  }

  /** A graph with seeded random weights (He-normal kernels, BN mean 0 / variance 1 / beta 0). */
  public static ComputationGraph randomlyInitialised(int inputSize, long seed) {
    ComputationGraph network = new ComputationGraph(configuration(inputSize, seed));
    network.init();
    return network;
  }

  private void build() {
    String x = convBn(INPUT, 32, 3, 3, 2, false);
    x = convBn(x, 32, 3, 3, 1, false);
    x = convBn(x, 64, 3, 3, 1, true);
    x = maxPool(x);
    x = convBn(x, 80, 1, 1, 1, false);
    x = convBn(x, 192, 3, 3, 1, false);
    x = maxPool(x);

    x = blockA(x, 32, "mixed0");
    x = blockA(x, 64, "mixed1");
    x = blockA(x, 64, "mixed2");
    x = reductionA(x, "mixed3");
    x = blockC(x, 128, "mixed4");
    x = blockC(x, 160, "mixed5");
    x = blockC(x, 160, "mixed6");
    x = blockC(x, 192, "mixed7");
    x = reductionB(x, "mixed8");
    x = blockE(x, "mixed9", 0);
    x = blockE(x, "mixed10", 1);

    graph.addLayer(OUTPUT, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
  }

  /** mixed0–2, 35×35: 1×1 | 1×1→5×5 | 1×1→3×3→3×3 | avg-pool→1×1. */
  private String blockA(String x, int poolFilters, String name) {
    String b1 = convBn(x, 64, 1, 1, 1, true);
    String b5 = convBn(x, 48, 1, 1, 1, true);
    b5 = convBn(b5, 64, 5, 5, 1, true);
    String b3 = convBn(x, 64, 1, 1, 1, true);
    b3 = convBn(b3, 96, 3, 3, 1, true);
    b3 = convBn(b3, 96, 3, 3, 1, true);
    String pool = convBn(avgPool(x), poolFilters, 1, 1, 1, true);
    return concat(name, b1, b5, b3, pool);
  }

  /** mixed3, 35→17: 3×3/2 | 1×1→3×3→3×3/2 | max-pool/2. */
  private String reductionA(String x, String name) {
    String b3 = convBn(x, 384, 3, 3, 2, false);
    String b3dbl = convBn(x, 64, 1, 1, 1, true);
    b3dbl = convBn(b3dbl, 96, 3, 3, 1, true);
    b3dbl = convBn(b3dbl, 96, 3, 3, 2, false);
    return concat(name, b3, b3dbl, maxPool(x));
  }

  /** mixed4–7, 17×17, factorised 7×7 with {@code c} inner filters. */
  private String blockC(String x, int c, String name) {
    String b1 = convBn(x, 192, 1, 1, 1, true);
    String b7 = convBn(x, c, 1, 1, 1, true);
    b7 = convBn(b7, c, 1, 7, 1, true);
    b7 = convBn(b7, 192, 7, 1, 1, true);
    String b7dbl = convBn(x, c, 1, 1, 1, true);
    b7dbl = convBn(b7dbl, c, 7, 1, 1, true);
    b7dbl = convBn(b7dbl, c, 1, 7, 1, true);
    b7dbl = convBn(b7dbl, c, 7, 1, 1, true);
    b7dbl = convBn(b7dbl, 192, 1, 7, 1, true);
    String pool = convBn(avgPool(x), 192, 1, 1, 1, true);
    return concat(name, b1, b7, b7dbl, pool);
  }

  /** mixed8, 17→8: 1×1→3×3/2 | 1×1→1×7→7×1→3×3/2 | max-pool/2. */
  private String reductionB(String x, String name) {
    String b3 = convBn(x, 192, 1, 1, 1, true);
    b3 = convBn(b3, 320, 3, 3, 2, false);
    String b7x3 = convBn(x, 192, 1, 1, 1, true);
    b7x3 = convBn(b7x3, 192, 1, 7, 1, true);
    b7x3 = convBn(b7x3, 192, 7, 1, 1, true);
    b7x3 = convBn(b7x3, 192, 3, 3, 2, false);
    return concat(name, b3, b7x3, maxPool(x));
  }

  /** mixed9–10, 8×8, with the 1×3 ‖ 3×1 splits. */
  private String blockE(String x, String name, int index) {
    String b1 = convBn(x, 320, 1, 1, 1, true);
    String b3 = convBn(x, 384, 1, 1, 1, true);
    String b3a = convBn(b3, 384, 1, 3, 1, true);
    String b3b = convBn(b3, 384, 3, 1, 1, true);
    b3 = concat(name + "_" + index, b3a, b3b);
    String b3dbl = convBn(x, 448, 1, 1, 1, true);
    b3dbl = convBn(b3dbl, 384, 3, 3, 1, true);
    String b3dblA = convBn(b3dbl, 384, 1, 3, 1, true);
    String b3dblB = convBn(b3dbl, 384, 3, 1, 1, true);
    b3dbl = concat(name + "_dbl", b3dblA, b3dblB);
    String pool = convBn(avgPool(x), 192, 1, 1, 1, true);
    return concat(name, b1, b3, b3dbl, pool);
  }

  /**
   * Keras' conv2d_bn: Conv2D without bias → BatchNormalization(scale=False, eps=1e-3) → ReLU;
   * folded, one Conv2D with bias and ReLU.
   */
  private String convBn(String input, int filters, int rows, int cols, int stride, boolean same) {
    int n = ++convCount;
    String conv = "conv2d_" + n;
    if (foldedBatchNorm) {
      graph.addLayer(
          conv,
          new ConvolutionLayer.Builder(rows, cols)
              .stride(stride, stride)
              .nOut(filters)
              .hasBias(true)
              .convolutionMode(same ? ConvolutionMode.Same : ConvolutionMode.Truncate)
              .activation(Activation.RELU)
              .build(),
          input);
      return conv;
    }
    String bn = "batch_normalization_" + n;
    String relu = "activation_" + n;
    graph.addLayer(
        conv,
        new ConvolutionLayer.Builder(rows, cols)
            .stride(stride, stride)
            .nOut(filters)
            .hasBias(false)
            .convolutionMode(same ? ConvolutionMode.Same : ConvolutionMode.Truncate)
            .activation(Activation.IDENTITY)
            .build(),
        input);
    graph.addLayer(
        bn,
        new BatchNormalization.Builder()
            .eps(1e-3)
            .useLogStd(false)
            .gamma(1.0)
            .activation(Activation.IDENTITY)
            .build(),
        conv);
    graph.addLayer(relu, new ActivationLayer.Builder().activation(Activation.RELU).build(), bn);
    return relu;
  }

  private String maxPool(String input) {
    String name = "max_pooling2d_" + ++maxPoolCount;
    graph.addLayer(
        name,
        new SubsamplingLayer.Builder(PoolingType.MAX)
            .kernelSize(3, 3)
            .stride(2, 2)
            .convolutionMode(ConvolutionMode.Truncate)
            .build(),
        input);
    return name;
  }

  private String avgPool(String input) {
    String name = "average_pooling2d_" + ++avgPoolCount;
    graph.addLayer(
        name,
        new SubsamplingLayer.Builder(PoolingType.AVG)
            .kernelSize(3, 3)
            .stride(1, 1)
            .convolutionMode(ConvolutionMode.Same)
            .avgPoolIncludePadInDivisor(false)
            .build(),
        input);
    return name;
  }

  private String concat(String name, String... inputs) {
    graph.addVertex(name, new MergeVertex(), inputs);
    return name;
  }
}
