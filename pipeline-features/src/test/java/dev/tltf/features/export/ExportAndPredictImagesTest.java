package dev.tltf.features.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.image.ImageDecoder;
import dev.tltf.features.image.ResizeMethod;
import dev.tltf.features.predict.PredictImagesCommand;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The merged serving model and predictions from images must equal head(backbone(image)). */
class ExportAndPredictImagesTest {
  private static final BackboneSpec SPEC =
      new BackboneSpec(new WeightsSource.Random(3), 75, ResizeMethod.BILINEAR);
  private static final List<String> LABELS = SyntheticImages.CLASSES;

  @TempDir static Path dir;
  static Path images;
  static String headDir;
  static Head head;

  @BeforeAll
  static void writeHeadAndImages() throws Exception {
    images = dir.resolve("images");
    SyntheticImages.write(images, 2, 9, 50, 90);
    Files.writeString(images.resolve("circles/broken.jpg"), "no jpeg here");
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(4)
                .list()
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(2048)
                        .nOut(LABELS.size())
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
    network.init();
    headDir = dir.resolve("head").toString();
    HeadDirectory.write(
        headDir,
        new Head(network, LABELS, SPEC.fingerprint()),
        Map.of(),
        Map.of(),
        false,
        new Configuration());
    head = HeadDirectory.load(headDir, new Configuration());
  }

  private static float[] input(Path image) throws Exception {
    return SPEC.preprocessor()
        .toInput(
            new ImageDecoder(1 << 30, 1L << 30, Duration.ofMinutes(1))
                .decode(Files.readAllBytes(image)));
  }

  private static float[] expected(Path image) throws Exception {
    float[] features = Backbones.get(SPEC, new Configuration()).features(input(image), 1)[0];
    return head.probabilities(new float[][] {features})[0];
  }

  private static int run(Object command, StringWriter err, String... args) {
    return JobMain.run(command, ConfDefaults.load(null), new PrintWriter(err, true), args);
  }

  @Test
  void exportedModelEqualsHeadOfBackbone() throws Exception {
    Path out = dir.resolve("model.zip");
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        run(new ExportModelCommand(), err, "--head", headDir, "--out", out.toString()),
        err.toString());

    ComputationGraph merged = ComputationGraph.load(out.toFile(), false);
    Path a = images.resolve("circles/circles_000.jpg");
    Path b = images.resolve("stripes/stripes_001.png");
    float[] both = new float[2 * SPEC.preprocessor().inputLength()];
    System.arraycopy(input(a), 0, both, 0, SPEC.preprocessor().inputLength());
    System.arraycopy(
        input(b), 0, both, SPEC.preprocessor().inputLength(), SPEC.preprocessor().inputLength());
    float[][] served =
        merged.outputSingle(Nd4j.create(both, new long[] {2, 3, 75, 75}, 'c')).toFloatMatrix();
    assertArrayEquals(expected(a), served[0], 1e-5f);
    assertArrayEquals(expected(b), served[1], 1e-5f);
    assertEquals(LABELS, ModelSerializer.getObjectFromFile(new File(out.toString()), "labels"));

    assertEquals(
        JobMain.EXIT_BAD_INPUT,
        run(new ExportModelCommand(), err, "--head", headDir, "--out", out.toString()));
    assertTrue(
        err.toString().contains("Cannot write a model to " + out + ": it already exists"),
        err.toString());
  }

  @Test
  void predictionsFromImagesEqualHeadOfBackbone() throws Exception {
    String out = dir.resolve("predictions").toString();
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        run(
            new PredictImagesCommand(),
            err,
            "--head",
            headDir,
            "--images",
            images.toString(),
            "--out",
            out,
            "--top-k",
            "2"),
        err.toString());
    List<Row> rows = SharedSpark.session().read().parquet(out).collectAsList();
    assertEquals(9, rows.size(), "8 images and the broken file, each with one row");
    for (Row row : rows) {
      String path = row.getString(row.fieldIndex("path"));
      if (path.equals("circles/broken.jpg")) {
        assertTrue(
            row.getString(row.fieldIndex("error")).startsWith("The file is not an image"),
            row.toString());
        continue;
      }
      float[] probabilities = expected(images.resolve(path));
      Head.Prediction best = head.topK(probabilities, 1).get(0);
      assertEquals(best.label(), row.getString(row.fieldIndex("label")), path);
      assertEquals(best.probability(), row.getFloat(row.fieldIndex("probability")), 1e-5f, path);
      assertEquals(2, row.getList(row.fieldIndex("top_k")).size());
    }
  }

  @Test
  void aHeadOnAnotherWeightFileIsRefused() throws Exception {
    Path weights = Files.writeString(dir.resolve("other.h5"), "x");
    StringWriter err = new StringWriter();
    assertEquals(
        JobMain.EXIT_BAD_INPUT,
        run(
            new ExportModelCommand(),
            err,
            "--head",
            headDir,
            "--out",
            dir.resolve("m2.zip").toString(),
            "--weights",
            weights.toString()));
    assertEquals(
        "export-model: Cannot use --weights with head "
            + headDir
            + ": it was trained on seeded random weights "
            + "(random:3), not on a weight file.",
        err.toString().trim());
  }
}
