package dev.tltf.features.backbone;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.junit.jupiter.api.Test;

/**
 * Guards the workaround in {@code org.nd4j.nativeblas.Nd4jCpu}: it must keep DL4J's oneDNN helpers
 * on, and it must go away once DL4J looks up the renamed class itself.
 */
class Dl4jWorkaroundsTest {
  @Test
  void onednnHelpersAreCreatedForConvBatchNormAndPooling() {
    OneDnnLayerHelpers.ensure();
    ComputationGraph graph = InceptionV3.randomlyInitialised(InceptionV3.MIN_INPUT_SIZE, 1);
    assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "DL4J's oneDNN check failed: helpers are off");
    assertNotNull(
        ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) graph.getLayer("conv2d_1"))
            .getHelper(),
        "conv2d_1 has no oneDNN helper");
    assertNotNull(
        ((org.deeplearning4j.nn.layers.normalization.BatchNormalization)
                graph.getLayer("batch_normalization_1"))
            .getHelper(),
        "batch_normalization_1 has no oneDNN helper");
    assertNotNull(
        ((org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer)
                graph.getLayer("max_pooling2d_1"))
            .getHelper(),
        "max_pooling2d_1 has no oneDNN helper");
  }

  @Test
  void upstreamStillLacksTheMethodDl4jLooksFor() {
    // When this fails, ND4J answers DL4J's lookup itself: delete org.nd4j.nativeblas.Nd4jCpu.
    assertThrows(
        NoSuchMethodException.class,
        () ->
            org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.class.getMethod(
                "isUseMKLDNN"));
  }
}
