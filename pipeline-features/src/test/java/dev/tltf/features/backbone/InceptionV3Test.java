package dev.tltf.features.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InceptionV3Test {
  private static ComputationGraph network;

  @BeforeAll
  static void build() {
    network = InceptionV3.randomlyInitialised(InceptionV3.DEFAULT_INPUT_SIZE, 42);
  }

  @Test
  void hasKerasLayerCountsAndNames() {
    long convs = 0;
    long norms = 0;
    for (Layer layer : network.getLayers()) {
      if (layer.conf().getLayer() instanceof ConvolutionLayer) {
        convs++;
      }
      if (layer.conf().getLayer() instanceof BatchNormalization) {
        norms++;
      }
    }
    assertEquals(94, convs);
    assertEquals(94, norms);
    for (int n = 1; n <= 94; n++) {
      assertTrue(network.getLayer("conv2d_" + n) != null, "conv2d_" + n);
      assertTrue(network.getLayer("batch_normalization_" + n) != null, "batch_normalization_" + n);
    }
  }

  @Test
  void parameterCountMatchesTheNotopFile() {
    long gammas = 0;
    for (Layer layer : network.getLayers()) {
      if (layer.conf().getLayer() instanceof BatchNormalization) {
        gammas += layer.getParam("gamma").length();
      }
    }
    // 94 kernels + 94 × (beta, moving_mean, moving_variance): the numbers in the official notop
    // file.
    assertEquals(21_802_784L, network.numParams() - gammas);
  }

  @Test
  void spatialSizesMatchKeras() {
    ComputationGraphConfiguration conf = network.getConfiguration();
    Map<String, InputType> types =
        conf.getLayerActivationTypes(InputType.convolutional(299, 299, 3));
    List<String> stages =
        List.of(
            "activation_1",
            "activation_2",
            "activation_3",
            "max_pooling2d_1",
            "activation_4",
            "activation_5",
            "max_pooling2d_2",
            "mixed3",
            "mixed8");
    long[] sizes =
        stages.stream()
            .mapToLong(s -> ((InputType.InputTypeConvolutional) types.get(s)).getHeight())
            .toArray();
    assertArrayEquals(new long[] {149, 147, 147, 73, 73, 71, 35, 17, 8}, sizes);
    assertEquals(2048, ((InputType.InputTypeConvolutional) types.get("mixed10")).getChannels());
    assertEquals(8, ((InputType.InputTypeConvolutional) types.get("mixed10")).getHeight());
    assertEquals(
        InceptionV3.FEATURE_DIMENSION, types.get(InceptionV3.OUTPUT).arrayElementsPerExample());
  }
}
