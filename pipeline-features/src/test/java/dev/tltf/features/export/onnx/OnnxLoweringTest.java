package dev.tltf.features.export.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.NativeSetup;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Every lowering on a small graph with random weights and biases, run by DL4J and by ONNX Runtime:
 * 'same' padding where it is asymmetric (stride 2 and 2×2 kernels on even and odd sizes), 1×7 and
 * 7×1 kernels, 'valid' stride-2 pools, average pools that exclude the padding, concatenation,
 * global pooling and a head with a hidden layer.
 */
class OnnxLoweringTest {
  static {
    NativeSetup.ensure();
  }

  /**
   * input → conv 3×3 valid → max 3×3/2 valid → conv 3×3/2 same → [1×7 | 7×1 | 2×2 | avg 3×3 same] →
   * [conv 3×3/2 same | max 3×3/2 same] → avg 3×3 same counting the padding → global average: 22
   * features.
   */
  static ComputationGraph smallGraph(int size) {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(7)
            .dataType(DataType.FLOAT)
            .activation(Activation.IDENTITY)
            .convolutionMode(ConvolutionMode.Same)
            .graphBuilder()
            .addInputs("input")
            .setInputTypes(InputType.convolutional(size, size, 3, CNN2DFormat.NCHW))
            .addLayer("valid", conv(3, 3, 1, 5, ConvolutionMode.Truncate, Activation.RELU), "input")
            .addLayer(
                "maxValid",
                new SubsamplingLayer.Builder(PoolingType.MAX)
                    .kernelSize(3, 3)
                    .stride(2, 2)
                    .convolutionMode(ConvolutionMode.Truncate)
                    .build(),
                "valid")
            .addLayer("stem", conv(3, 3, 2, 6, ConvolutionMode.Same, Activation.RELU), "maxValid")
            .addLayer("wide", conv(1, 7, 1, 4, ConvolutionMode.Same, Activation.RELU), "stem")
            .addLayer("tall", conv(7, 1, 1, 4, ConvolutionMode.Same, Activation.IDENTITY), "stem")
            .addLayer("even", conv(2, 2, 1, 3, ConvolutionMode.Same, Activation.RELU), "stem")
            .addLayer(
                "avg",
                new SubsamplingLayer.Builder(PoolingType.AVG)
                    .kernelSize(3, 3)
                    .stride(1, 1)
                    .convolutionMode(ConvolutionMode.Same)
                    .avgPoolIncludePadInDivisor(false)
                    .build(),
                "stem")
            .addVertex("mixed", new MergeVertex(), "wide", "tall", "even", "avg")
            .addLayer("down", conv(3, 3, 2, 5, ConvolutionMode.Same, Activation.RELU), "mixed")
            .addLayer(
                "maxSame",
                new SubsamplingLayer.Builder(PoolingType.MAX)
                    .kernelSize(3, 3)
                    .stride(2, 2)
                    .convolutionMode(ConvolutionMode.Same)
                    .build(),
                "mixed")
            .addVertex("reduced", new MergeVertex(), "down", "maxSame")
            .addLayer(
                "avgCounted",
                new SubsamplingLayer.Builder(PoolingType.AVG)
                    .kernelSize(3, 3)
                    .stride(1, 1)
                    .convolutionMode(ConvolutionMode.Same)
                    .avgPoolIncludePadInDivisor(true)
                    .build(),
                "reduced")
            .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "avgCounted")
            .setOutputs("pool")
            .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    graph.setParams(Nd4j.rand(DataType.FLOAT, 1, graph.numParams()).subi(0.5));
    return graph;
  }

  private static ConvolutionLayer conv(
      int kh, int kw, int stride, int filters, ConvolutionMode mode, Activation activation) {
    return new ConvolutionLayer.Builder(kh, kw)
        .stride(stride, stride)
        .nOut(filters)
        .hasBias(true)
        .convolutionMode(mode)
        .activation(activation)
        .build();
  }

  static MultiLayerNetwork head(int inputs, int hidden, int classes) {
    NeuralNetConfiguration.ListBuilder layers =
        new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).list();
    int width = inputs;
    if (hidden > 0) {
      layers.layer(
          new DenseLayer.Builder().nIn(inputs).nOut(hidden).activation(Activation.RELU).build());
      width = hidden;
    }
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            layers
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(width)
                        .nOut(classes)
                        .activation(Activation.SOFTMAX)
                        .dropOut(0.5)
                        .build())
                .build());
    network.init();
    network.setParams(Nd4j.rand(DataType.FLOAT, 1, network.numParams()).subi(0.5).muli(4));
    return network;
  }

  private static byte[] serialise(OnnxGraph graph) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OnnxExport.write(graph, Map.of("input", "test"), out);
    return out.toByteArray();
  }

  /**
   * Random uint8 NHWC pixels and the same images as DL4J's NCHW input, scaled as the feature job
   * scales.
   */
  private static INDArray dl4jInput(byte[] pixels, int count, int size) {
    float[] nchw = new float[pixels.length];
    for (int n = 0; n < count; n++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          for (int c = 0; c < 3; c++) {
            int value = pixels[((n * size + y) * size + x) * 3 + c] & 0xFF;
            nchw[((n * 3 + c) * size + y) * size + x] = value / 127.5f - 1f;
          }
        }
      }
    }
    return Nd4j.create(nchw, new long[] {count, 3, size, size}, 'c');
  }

  @ParameterizedTest
  @ValueSource(ints = {12, 13, 16, 19})
  void smallGraphAndHeadMatchDl4j(int size) throws Exception {
    ComputationGraph graph = smallGraph(size);
    MultiLayerNetwork head = head(22, 7, 3);
    byte[] pixels = new byte[2 * size * size * 3];
    new Random(size).nextBytes(pixels);

    float[][] features = graph.outputSingle(dl4jInput(pixels, 2, size)).toFloatMatrix();
    float[][] probabilities = head.output(Nd4j.create(features), false).toFloatMatrix();
    try (OnnxRuntimeModel onnx =
        OnnxRuntimeModel.load(serialise(OnnxExport.imageModel(graph, size, head)), 1)) {
      OnnxRuntimeModel.Outputs out = onnx.runImages(pixels, 2, size);
      double featureDifference = OnnxRuntimeModel.relativeDifference(out.features(), features);
      assertTrue(
          featureDifference < 1e-5, "features differ by " + featureDifference + " at size " + size);
      double probabilityDifference =
          OnnxRuntimeModel.maxDifference(out.probabilities(), probabilities);
      assertTrue(probabilityDifference < 1e-6, "probabilities differ by " + probabilityDifference);
    }
    try (OnnxRuntimeModel onnx =
        OnnxRuntimeModel.load(serialise(OnnxExport.featureModel(head)), 1)) {
      double difference =
          OnnxRuntimeModel.maxDifference(onnx.runFeatures(features).probabilities(), probabilities);
      assertTrue(difference < 1e-6, "head-only probabilities differ by " + difference);
    }
  }

  @Test
  void sameModePadsPutTheOddPixelAfter() {
    InputType.InputTypeConvolutional eight =
        (InputType.InputTypeConvolutional) InputType.convolutional(8, 8, 3);
    // 3×3/2 on 8: 4 outputs need (4 − 1)·2 + 3 − 8 = 1 pixel of padding, after.
    assertArrayEqualsLong(
        new long[] {0, 0, 1, 1},
        GraphLowering.pads(
            "c",
            ConvolutionMode.Same,
            new int[] {3, 3},
            new int[] {2, 2},
            new int[] {0, 0},
            eight));
    // 1×7/1: 3 before and after along the width only.
    assertArrayEqualsLong(
        new long[] {0, 3, 0, 3},
        GraphLowering.pads(
            "c",
            ConvolutionMode.Same,
            new int[] {1, 7},
            new int[] {1, 1},
            new int[] {0, 0},
            eight));
    // 'valid' (Truncate): the explicit padding, here none.
    assertArrayEqualsLong(
        new long[] {0, 0, 0, 0},
        GraphLowering.pads(
            "c",
            ConvolutionMode.Truncate,
            new int[] {3, 3},
            new int[] {2, 2},
            new int[] {0, 0},
            eight));
  }

  private static void assertArrayEqualsLong(long[] expected, long[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
  }

  @Test
  void aLayerWithoutALoweringIsNamed() {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .dataType(DataType.FLOAT)
            .activation(Activation.IDENTITY)
            .graphBuilder()
            .addInputs("input")
            .setInputTypes(InputType.convolutional(8, 8, 3, CNN2DFormat.NCHW))
            .addLayer(
                "conv2d_1", conv(3, 3, 1, 4, ConvolutionMode.Same, Activation.IDENTITY), "input")
            .addLayer("batch_normalization_1", new BatchNormalization.Builder().build(), "conv2d_1")
            .addLayer(
                "pool",
                new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
                "batch_normalization_1")
            .setOutputs("pool")
            .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    UnsupportedLayerException e =
        assertThrows(
            UnsupportedLayerException.class, () -> OnnxExport.imageModel(graph, 8, head(4, 0, 2)));
    assertEquals(
        "Cannot export layer batch_normalization_1 to ONNX: it is a BatchNormalization, which has no ONNX "
            + "lowering here (supported: ConvolutionLayer, SubsamplingLayer, GlobalPoolingLayer, MergeVertex).",
        e.getMessage());

    ComputationGraph elu = smallGraph(12);
    MultiLayerNetwork headWithElu =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .list()
                .layer(new DenseLayer.Builder().nIn(22).nOut(4).activation(Activation.ELU).build())
                .layer(
                    new OutputLayer.Builder().nIn(4).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
    headWithElu.init();
    e =
        assertThrows(
            UnsupportedLayerException.class, () -> OnnxExport.imageModel(elu, 12, headWithElu));
    assertEquals(
        "Cannot export head layer 0 to ONNX: its activation elu(alpha=1.0) has no ONNX lowering here "
            + "(supported: identity, relu, softmax, sigmoid, tanh).",
        e.getMessage());

    MultiLayerNetwork headWithDropoutLayer =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .list()
                .layer(new DropoutLayer.Builder(0.5).nIn(22).nOut(22).build())
                .layer(
                    new OutputLayer.Builder()
                        .nIn(22)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
    headWithDropoutLayer.init();
    e =
        assertThrows(
            UnsupportedLayerException.class, () -> OnnxExport.featureModel(headWithDropoutLayer));
    assertEquals(
        "Cannot export head layer 0 to ONNX: it is a DropoutLayer, and heads of DenseLayers ending in an "
            + "OutputLayer are supported.",
        e.getMessage());
  }
}
