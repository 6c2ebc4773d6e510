package dev.tltf.features.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.store.RandomWeightsWarning;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.image.ResizeMethod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * predict --images takes --random-weights as extract-features does: the head's seed only, with the
 * same warning.
 */
class PredictImagesRandomWeightsTest {
  private static final BackboneSpec SPEC =
      new BackboneSpec(new WeightsSource.Random(3), 75, ResizeMethod.BILINEAR);

  @TempDir static Path dir;
  static Path images;
  static String head;

  @BeforeAll
  static void writeHeadAndImages() throws Exception {
    images = dir.resolve("images");
    SyntheticImages.write(images, 1, 9, 50, 90);
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(4)
                .list()
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(2048)
                        .nOut(SyntheticImages.CLASSES.size())
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
    network.init();
    head = dir.resolve("head").toString();
    HeadDirectory.write(
        head,
        new Head(network, SyntheticImages.CLASSES, SPEC.fingerprint()),
        Map.of(),
        Map.of(),
        false,
        new Configuration());
  }

  record Result(int status, String err) {}

  private static Result predict(String... args) {
    StringWriter err = new StringWriter();
    int status =
        JobMain.run(
            new PredictImagesCommand(), ConfDefaults.load(null), new PrintWriter(err, true), args);
    return new Result(status, err.toString());
  }

  @Test
  void theHeadsSeedIsAcceptedWithTheWarning() throws Exception {
    Path out = dir.resolve("predictions.csv");
    Result ok =
        predict(
            "--head",
            head,
            "--images",
            images.toString(),
            "--out",
            out.toString(),
            "--random-weights",
            "3",
            "--format",
            "csv");
    assertEquals(0, ok.status(), ok.err());
    assertTrue(ok.err().contains(RandomWeightsWarning.of("random:3").orElseThrow()), ok.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(
        "path,image_id,label_1,probability_1,label_2,probability_2,label_3,probability_3,error",
        lines.get(0));
    assertEquals(1 + SyntheticImages.CLASSES.size(), lines.size(), String.join("\n", lines));
  }

  @Test
  void anotherSeedOrAWeightFileTooIsRefused() {
    Result other =
        predict(
            "--head",
            head,
            "--images",
            images.toString(),
            "--out",
            dir.resolve("p1").toString(),
            "--random-weights",
            "4");
    assertEquals(JobMain.EXIT_BAD_INPUT, other.status());
    assertEquals(
        "predict-images: Cannot use --random-weights 4 with head "
            + head
            + ": the head was trained on "
            + "features of weights random:3.",
        other.err().trim());
    Result both =
        predict(
            "--head",
            head,
            "--images",
            images.toString(),
            "--out",
            dir.resolve("p2").toString(),
            "--random-weights",
            "3",
            "--weights",
            "x.h5");
    assertEquals(
        "predict-images: Invalid flags: --weights and --random-weights exclude each other; give one.",
        both.err().trim());
    assertTrue(Files.notExists(dir.resolve("p1")) && Files.notExists(dir.resolve("p2")));
  }
}
