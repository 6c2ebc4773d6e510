package dev.tltf.features.fidelity;

import static dev.tltf.features.fidelity.FeatureComparison.maxAbs;
import static dev.tltf.features.fidelity.FeatureComparison.maxRelativeDifference;
import static dev.tltf.features.fidelity.FeatureComparison.nonZero;
import static dev.tltf.features.fidelity.SeededInceptionV3.SIZE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.image.ImageDecoder;
import dev.tltf.features.image.Preprocessor;
import dev.tltf.features.image.ResizeMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our DL4J InceptionV3 against an independent InceptionV3 built from TensorFlow's own ops (module
 * tf-reference), both loading the same seeded official-layout weight file and fed the same
 * preprocessed 299×299 tensors: three of uniform noise in [-1, 1] and two synthetic pictures
 * preprocessed by our decoder and {@link Preprocessor}.
 *
 * <p>Per image the measure is the <em>relative difference</em> {@code max_i |dl4j_i − tf_i| / max_i
 * |tf_i|} over the 2048 features. An elementwise relative error would be meaningless here: after
 * ReLU and average pooling many features are exactly 0 or tiny, where float noise of 1e-6 is an
 * "error" of 100 % or infinity. Scaling by the vector's largest magnitude measures the noise
 * against the size of the signal.
 *
 * <p>The bound, 1e-4, leaves room for float32 round-off after 94 convolutions whose summation order
 * differs between the two engines (measured: 3.9e-7 to 5.6e-7, the same at batch sizes 1 and 4) and
 * is far below what a wrong network gives: with the reference's batch-norm epsilon set to DL4J's
 * default 1e-5 instead of Keras' 1e-3 the difference was 1.3e-2, with the first 1×3 ‖ 3×1 pair of
 * mixed9 and mixed10 concatenated the other way round 0.74. The test also checks that the vectors
 * are far from trivial and that different inputs are more than 10 times the bound apart (two noise
 * images, the closest pair, are about 1e-2 apart), so that it cannot pass on, say, all-zero
 * features.
 */
class TensorFlowReferenceTensorTest {
  static final double BOUND = 1e-4;

  @TempDir static Path dir;

  /** CHW, one array per image. */
  static List<float[]> inputs;

  static List<String> names;

  /** TensorFlow's features of every input, computed in one batch. */
  static float[][] reference;

  @BeforeAll
  static void computeReference() throws Exception {
    inputs = new ArrayList<>();
    names = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      inputs.add(uniformNoise(seed));
      names.add("noise-" + seed);
    }
    SyntheticImages.write(dir.resolve("images"), 1, 5, 180, 360);
    Preprocessor preprocessor = new Preprocessor(SIZE, ResizeMethod.BILINEAR);
    ImageDecoder decoder = new ImageDecoder(1 << 30, 1L << 30, Duration.ofMinutes(1));
    for (String label : List.of("circles", "stripes")) {
      Path file = dir.resolve("images").resolve(label).resolve(label + "_000.jpg");
      inputs.add(preprocessor.toInput(decoder.decode(Files.readAllBytes(file))));
      names.add(label);
    }
    float[] nchw = concat(inputs);
    reference =
        TfReference.built(dir)
            .tensor(
                SeededInceptionV3.weights(),
                FeatureComparison.nchwToNhwc(nchw, inputs.size(), SIZE),
                inputs.size(),
                SIZE);
  }

  @Test
  void eachImageAloneMatchesTensorFlow() {
    Backbone backbone = SeededInceptionV3.backbone();
    for (int i = 0; i < inputs.size(); i++) {
      float[] features = backbone.features(inputs.get(i), 1)[0];
      assertClose(names.get(i) + " at batch size 1", features, reference[i]);
    }
  }

  @Test
  void aBatchOfFourMatchesTensorFlow() {
    List<float[]> batch = inputs.subList(1, 5);
    float[][] features = SeededInceptionV3.backbone().features(concat(batch), batch.size());
    for (int i = 0; i < batch.size(); i++) {
      assertClose(names.get(i + 1) + " at batch size 4", features[i], reference[i + 1]);
    }
  }

  @Test
  void theReferenceFeaturesAreNotTrivial() {
    for (int i = 0; i < reference.length; i++) {
      float[] features = reference[i];
      assertTrue(maxAbs(features) > 1e-3, names.get(i) + ": max |feature| = " + maxAbs(features));
      assertTrue(
          nonZero(features) > features.length / 4,
          names.get(i) + ": only " + nonZero(features) + " non-zero features");
      for (int j = 0; j < i; j++) {
        double apart = maxRelativeDifference(reference[j], features);
        System.out.printf(
            "TF features of %s vs %s: relative difference %.3g%n",
            names.get(j), names.get(i), apart);
        assertTrue(
            apart > 10 * BOUND,
            names.get(j)
                + " and "
                + names.get(i)
                + " give nearly the same features (relative difference "
                + apart
                + "): the bound cannot tell them "
                + "apart");
      }
    }
  }

  private static void assertClose(String what, float[] dl4j, float[] tf) {
    double difference = maxRelativeDifference(dl4j, tf);
    System.out.printf(
        "DL4J vs TF, %s: max relative difference %.3g (max |tf| %.3g)%n",
        what, difference, maxAbs(tf));
    assertTrue(
        difference <= BOUND,
        () ->
            what
                + ": DL4J's features differ from TensorFlow's by "
                + difference
                + " (relative to max |tf| = "
                + maxAbs(tf)
                + "), more than "
                + BOUND
                + "; first values dl4j "
                + Arrays.toString(Arrays.copyOf(dl4j, 6))
                + ", tf "
                + Arrays.toString(Arrays.copyOf(tf, 6)));
  }

  private static float[] uniformNoise(long seed) {
    Random random = new Random(seed);
    float[] chw = new float[3 * SIZE * SIZE];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = random.nextFloat() * 2 - 1;
    }
    return chw;
  }

  private static float[] concat(List<float[]> images) {
    int length = images.get(0).length;
    float[] all = new float[images.size() * length];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, all, i * length, length);
    }
    return all;
  }
}
