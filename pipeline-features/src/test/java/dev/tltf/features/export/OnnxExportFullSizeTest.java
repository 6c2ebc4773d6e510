package dev.tltf.features.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.export.onnx.OnnxRuntimeModel;
import dev.tltf.features.image.ImageDecoder;
import dev.tltf.features.image.ResizeMethod;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The exported InceptionV3 at its real size, 299 px: ONNX Runtime on uint8 images against the
 * feature job's own forward pass ({@link Backbones#get}) on the same images, bilinear resize (the
 * default), images already 299² so the resize is exact and the uint8 pixels are what the job
 * scaled.
 */
class OnnxExportFullSizeTest {
  private static final BackboneSpec SPEC =
      new BackboneSpec(new WeightsSource.Random(3), 299, ResizeMethod.BILINEAR);

  @TempDir Path dir;

  @Test
  void inceptionV3At299MatchesTheFeatureJob() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 2, 17, 299, 299);
    List<String> paths = List.of("circles/circles_000.jpg", "stripes/stripes_001.png");

    float[] input = new float[paths.size() * SPEC.preprocessor().inputLength()];
    for (int i = 0; i < paths.size(); i++) {
      SPEC.preprocessor()
          .write(
              new ImageDecoder(1 << 30, 1L << 30, Duration.ofMinutes(1))
                  .decode(Files.readAllBytes(images.resolve(paths.get(i)))),
              input,
              i * SPEC.preprocessor().inputLength());
    }
    float[][] features = Backbones.get(SPEC, new Configuration()).features(input, paths.size());
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(4)
                .dataType(DataType.FLOAT)
                .list()
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(2048)
                        .nOut(4)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
    network.init();
    // Logits of a few units: weights scaled to the vectors' size, so the probabilities are neither
    // uniform nor one-hot.
    double rms =
        Math.sqrt(
            java.util.Arrays.stream(features)
                .flatMapToDouble(
                    row ->
                        java.util.stream.IntStream.range(0, row.length)
                            .mapToDouble(i -> row[i] * row[i]))
                .average()
                .orElseThrow());
    network.setParams(
        Nd4j.rand(DataType.FLOAT, 1, network.numParams())
            .subi(0.5)
            .muli(10 / (rms * Math.sqrt(2048))));
    String headDir = dir.resolve("head").toString();
    HeadDirectory.write(
        headDir,
        new Head(network, SyntheticImages.CLASSES, SPEC.fingerprint()),
        Map.of(),
        Map.of(),
        false,
        new Configuration());
    Head head = HeadDirectory.load(headDir, new Configuration());

    Path out = dir.resolve("inception.onnx");
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        OnnxExportTest.export(err, "--head", headDir, "--out", out.toString(), "--format", "onnx"),
        err.toString());

    try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(out, 2)) {
      OnnxRuntimeModel.Outputs served =
          onnx.runImages(
              OnnxExportTest.clientPixels(images, paths, 299, ResizeMethod.BILINEAR),
              paths.size(),
              299);
      double featureDifference = OnnxRuntimeModel.relativeDifference(served.features(), features);
      assertTrue(featureDifference <= 1e-4, "features differ by " + featureDifference);
      float[][] expected = head.probabilities(features);
      assertTrue(
          expected[0][0] > 0.01 && expected[0][0] < 0.99,
          "a saturated head proves little: " + java.util.Arrays.toString(expected[0]));
      double probabilityDifference =
          OnnxRuntimeModel.maxDifference(served.probabilities(), expected);
      assertTrue(probabilityDifference <= 1e-5, "probabilities differ by " + probabilityDifference);
      System.out.printf(
          "ONNX at 299 px vs the feature job: features %.2e, probabilities %.2e%n",
          featureDifference, probabilityDifference);
    }
  }
}
