package dev.tltf.features.fidelity;

import static dev.tltf.features.fidelity.FeatureComparison.maxRelativeDifference;
import static dev.tltf.features.fidelity.SeededInceptionV3.SIZE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.io.Sha256;
import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.backbone.BatchNormFolding;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.engine.OneDnnEngine;
import dev.tltf.features.image.ResizeMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oneDNN engine at 299 px on seeded official-layout weights (batch-norm statistics far from the
 * identity), against the DL4J reference graph (batch norm not folded: Keras' layers one for one)
 * and against TensorFlow's own InceptionV3 (module tf-reference), with the bound of the other
 * fidelity tests, 1e-4 of the vector's scale.
 */
class OneDnnEngineFidelityTest {
  private static final double BOUND = TensorFlowReferenceTensorTest.BOUND;

  @TempDir Path dir;

  @Test
  void engineMatchesTheDl4jReferenceGraphAtBatch1And8() throws IOException {
    Path weights = SeededInceptionV3.weights();
    BackboneSpec spec =
        new BackboneSpec(
            new WeightsSource.KerasFile(
                weights.toString(), Sha256.hex(Files.readAllBytes(weights))),
            SIZE,
            ResizeMethod.BILINEAR);
    ComputationGraph reference = Backbones.build(spec, new Configuration());
    Backbone dl4j = new Backbone(reference, spec);
    try (OneDnnEngine engine = OneDnnEngine.lower(BatchNormFolding.fold(reference, SIZE), SIZE)) {
      for (int batch : new int[] {1, 8}) {
        float[] images = noise(batch, 100 + batch);
        float[][] expected = dl4j.features(images, batch);
        float[][] actual = engine.features(images, batch);
        for (int i = 0; i < batch; i++) {
          double difference = maxRelativeDifference(actual[i], expected[i]);
          System.out.printf(
              "engine vs DL4J reference, 299 px, batch %d, image %d: %.3g%n", batch, i, difference);
          assertTrue(difference <= BOUND, "batch " + batch + " image " + i + ": " + difference);
        }
      }
    }
  }

  @Test
  void engineMatchesTensorFlowAtBatch1And3() {
    int count = 3;
    float[] images = noise(count, 7);
    float[][] tf =
        TfReference.built(dir)
            .tensor(
                SeededInceptionV3.weights(),
                FeatureComparison.nchwToNhwc(images, count, SIZE),
                count,
                SIZE);
    ComputationGraph folded = SeededInceptionV3.backbone().graph();
    try (OneDnnEngine engine = OneDnnEngine.lower(folded, SIZE)) {
      float[][] batch = engine.features(images, count);
      for (int i = 0; i < count; i++) {
        float[] one =
            engine
                .features(
                    java.util.Arrays.copyOfRange(
                        images, i * 3 * SIZE * SIZE, (i + 1) * 3 * SIZE * SIZE),
                    1)[0];
        double alone = maxRelativeDifference(one, tf[i]);
        double inBatch = maxRelativeDifference(batch[i], tf[i]);
        System.out.printf(
            "engine vs TensorFlow, 299 px, image %d: batch 1 %.3g, batch %d %.3g%n",
            i, alone, count, inBatch);
        assertTrue(
            alone <= BOUND && inBatch <= BOUND, "image " + i + ": " + alone + " / " + inBatch);
      }
    }
  }

  private static float[] noise(int count, long seed) {
    Random random = new Random(seed);
    float[] images = new float[count * 3 * SIZE * SIZE];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat() * 2 - 1;
    }
    return images;
  }
}
