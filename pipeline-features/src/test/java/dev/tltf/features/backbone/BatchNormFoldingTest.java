package dev.tltf.features.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.io.Sha256;
import dev.tltf.features.image.ResizeMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference graph the jobs run (batch norm folded into the convolutions) against the reference
 * graph the weights load into, at 299 px with official-layout weights whose batch-norm statistics
 * are far from the identity.
 */
class BatchNormFoldingTest {
  private static final int SIZE = 299;

  @TempDir Path dir;

  @Test
  void foldedGraphGivesTheReferenceFeaturesWithin1e4() throws IOException {
    Path file = dir.resolve("seeded.h5");
    OfficialLayoutWeights.write(file, 31);
    BackboneSpec spec =
        new BackboneSpec(
            new WeightsSource.KerasFile(file.toString(), Sha256.hex(Files.readAllBytes(file))),
            SIZE,
            ResizeMethod.BILINEAR);
    ComputationGraph reference = Backbones.build(spec, new Configuration());
    ComputationGraph folded = BatchNormFolding.fold(reference, SIZE);

    float[] images = new float[2 * 3 * SIZE * SIZE];
    Random random = new Random(5);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat() * 2 - 1;
    }
    float[][] expected = new Backbone(reference, spec).features(images, 2);
    float[][] actual = new Backbone(folded, spec).features(images, 2);

    double maxAbs = 0;
    double maxDiff = 0;
    for (int i = 0; i < 2; i++) {
      for (int d = 0; d < expected[i].length; d++) {
        maxAbs = Math.max(maxAbs, Math.abs(expected[i][d]));
        maxDiff = Math.max(maxDiff, Math.abs(expected[i][d] - actual[i][d]));
      }
    }
    System.out.printf("batch-norm folding: max |Δ| %.3g, max |reference| %.3g%n", maxDiff, maxAbs);
    assertTrue(maxAbs > 0.01, "degenerate reference features: " + Arrays.toString(expected[0]));
    assertTrue(
        maxDiff / maxAbs <= 1e-4,
        "folded graph differs from the reference: max |Δ| / max |ref| = " + maxDiff / maxAbs);
  }

  @Test
  void foldedGraphHasOneLayerPerConvolutionAndNoBatchNorm() {
    ComputationGraph folded =
        BatchNormFolding.fold(
            InceptionV3.randomlyInitialised(InceptionV3.MIN_INPUT_SIZE, 3),
            InceptionV3.MIN_INPUT_SIZE);
    long norms =
        Arrays.stream(folded.getLayers())
            .filter(l -> l.conf().getLayer() instanceof BatchNormalization)
            .count();
    assertEquals(0, norms);
    assertEquals(
        InceptionV3.CONV_LAYERS,
        Arrays.stream(folded.getLayers())
            .filter(
                l ->
                    l.conf().getLayer()
                        instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer)
            .count());
  }
}
