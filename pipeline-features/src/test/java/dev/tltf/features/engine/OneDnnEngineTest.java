package dev.tltf.features.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.features.backbone.BatchNormFolding;
import dev.tltf.features.backbone.InceptionV3;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engine against DL4J on the same graph and weights: the structures InceptionV3 uses (at small
 * sizes), the padding cases it does not reach (asymmetric 'Same' padding from even totals), partial
 * batches, and refusals.
 */
class OneDnnEngineTest {
  private static final double TOLERANCE = 1e-4;

  @Test
  void foldedInceptionV3MatchesDl4jAtBatch1And8And32() {
    int size = InceptionV3.MIN_INPUT_SIZE;
    ComputationGraph folded = BatchNormFolding.fold(InceptionV3.randomlyInitialised(size, 7), size);
    try (OneDnnEngine engine = OneDnnEngine.lower(folded, size)) {
      for (int batch : new int[] {1, 8, 32}) {
        float[] images = EngineComparison.images(batch, size, batch);
        double error =
            EngineComparison.relativeError(
                engine.features(images, batch), dl4j(folded, images, batch, size));
        System.out.printf(
            "engine vs DL4J, %d px, batch %d: max |Δ| / max |ref| = %.3g; %s%n",
            size, batch, error, engine.implementations(batch));
        assertTrue(error <= TOLERANCE, "batch " + batch + ": " + error);
      }
    }
  }

  @Test
  void foldedInceptionV3MatchesDl4jAt139Px() {
    int size = 139;
    ComputationGraph folded =
        BatchNormFolding.fold(InceptionV3.randomlyInitialised(size, 11), size);
    try (OneDnnEngine engine = OneDnnEngine.lower(folded, size)) {
      float[] images = EngineComparison.images(3, size, 4);
      double error =
          EngineComparison.relativeError(engine.features(images, 3), dl4j(folded, images, 3, size));
      System.out.printf("engine vs DL4J, %d px, batch 3: %.3g%n", size, error);
      assertTrue(error <= TOLERANCE, "139 px: " + error);
    }
  }

  @Test
  void asymmetricSamePaddingAndMergesMatchDl4j() {
    int size = 10;
    ComputationGraph graph = paddingGraph(size);
    try (OneDnnEngine engine = OneDnnEngine.lower(graph, size)) {
      for (int batch : new int[] {1, 4}) {
        float[] images = EngineComparison.images(batch, size, 40 + batch);
        double error =
            EngineComparison.relativeError(
                engine.features(images, batch), dl4j(graph, images, batch, size));
        System.out.printf("engine vs DL4J, padding graph, batch %d: %.3g%n", batch, error);
        assertTrue(error <= TOLERANCE, "padding graph, batch " + batch + ": " + error);
      }
    }
  }

  @Test
  void partialBatchesRunPaddedAndGiveTheSameVectorsAsFullOnes() {
    int size = 10;
    ComputationGraph graph = paddingGraph(size);
    try (OneDnnEngine engine = OneDnnEngine.lower(graph, size)) {
      float[] images = EngineComparison.images(8, size, 9);
      float[][] full = engine.features(images, 8);
      float[][] partial =
          engine.features(images, 5); // runs in the batch-8 network, padded with zeros
      assertEquals(5, partial.length);
      assertEquals(java.util.Set.of(8), engine.compiledBatchSizes());
      for (int i = 0; i < 5; i++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(
            full[i], partial[i], 1e-6f, "image " + i);
      }
      float[][] single = engine.features(images, 1); // 8 > 2 × 1: a network of its own
      assertEquals(java.util.Set.of(1, 8), engine.compiledBatchSizes());
      org.junit.jupiter.api.Assertions.assertArrayEquals(full[0], single[0], 1e-5f);
    }
  }

  @Test
  void graphsWithLayersItDoesNotKnowAreRefusedNamingTheVertex() {
    ComputationGraph reference = InceptionV3.randomlyInitialised(InceptionV3.MIN_INPUT_SIZE, 1);
    UnsupportedLayerException e =
        assertThrows(
            UnsupportedLayerException.class,
            () -> OneDnnEngine.lower(reference, InceptionV3.MIN_INPUT_SIZE));
    assertEquals(
        "Cannot run vertex 'batch_normalization_1' on the oneDNN engine: it does not support "
            + "BatchNormalization layers. Use --engine dl4j for this graph.",
        e.getMessage());
  }

  @Test
  void activationsOtherThanReluAreRefused() {
    ComputationGraph graph =
        new ComputationGraph(
            new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 3, CNN2DFormat.NCHW))
                .addLayer(
                    "tanh_conv",
                    new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.TANH).build(),
                    "in")
                .addLayer(
                    "pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "tanh_conv")
                .setOutputs("pool")
                .build());
    graph.init();
    UnsupportedLayerException e =
        assertThrows(UnsupportedLayerException.class, () -> OneDnnEngine.lower(graph, 8));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Cannot run vertex 'tanh_conv' on the oneDNN engine: it does not support "
                    + "activation tanh"),
        e.getMessage());
  }

  @Test
  void closedEnginesRefuseWork() {
    OneDnnEngine engine = OneDnnEngine.lower(paddingGraph(10), 10);
    engine.close();
    engine.close();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> engine.features(EngineComparison.images(1, 10, 1), 1));
    assertEquals("The oneDNN engine was closed", e.getMessage());
  }

  /**
   * 'Same' windows whose total padding is odd (pad 0 before, 1 after, as TensorFlow and DL4J do),
   * average pooling that excludes padding, a 'Truncate' max pool, a merge of tensors from different
   * layouts' producers, global average pooling. Every bias non-zero so a dropped bias shows.
   */
  static ComputationGraph paddingGraph(int size) {
    ComputationGraph graph =
        new ComputationGraph(
            new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .activation(Activation.IDENTITY)
                .biasInit(0.1)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(size, size, 3, CNN2DFormat.NCHW))
                .addLayer(
                    "conv_s2",
                    new ConvolutionLayer.Builder(3, 3)
                        .stride(2, 2)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build(),
                    "in")
                .addLayer("conv_2x2", new ConvolutionLayer.Builder(2, 2).nOut(8).build(), "in")
                .addLayer(
                    "max_s2",
                    new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(3, 3)
                        .stride(2, 2)
                        .build(),
                    "conv_2x2")
                .addLayer(
                    "avg_2x2",
                    new SubsamplingLayer.Builder(PoolingType.AVG)
                        .kernelSize(2, 2)
                        .stride(1, 1)
                        .avgPoolIncludePadInDivisor(false)
                        .build(),
                    "conv_s2")
                .addVertex("merge", new MergeVertex(), "avg_2x2", "max_s2", "conv_s2")
                .addLayer(
                    "conv_1x3",
                    new ConvolutionLayer.Builder(1, 3).nOut(24).activation(Activation.RELU).build(),
                    "merge")
                .addLayer(
                    "max_valid",
                    new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(3, 3)
                        .stride(1, 1)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .build(),
                    "conv_1x3")
                .addLayer(
                    "gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "max_valid")
                .setOutputs("gap")
                .build());
    graph.init();
    return graph;
  }

  private static float[][] dl4j(ComputationGraph graph, float[] images, int count, int size) {
    return graph
        .outputSingle(false, Nd4j.create(images, new long[] {count, 3, size, size}, 'c'))
        .toFloatMatrix();
  }
}
