package dev.tltf.features.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.head.PortableHead;
import dev.tltf.common.io.Json;
import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.testing.FailingFileSystem;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.export.onnx.OnnxExport;
import dev.tltf.features.export.onnx.OnnxRuntimeModel;
import dev.tltf.features.extract.ExtractFeaturesCommand;
import dev.tltf.features.image.ImageDecoder;
import dev.tltf.features.image.Preprocessor;
import dev.tltf.features.image.ResizeMethod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The ONNX exports against the DL4J path on the same images: {@code extract-features} writes a
 * store (75 px, seeded random weights, nearest resize, so that the resized pixels are whole numbers
 * a client can hand over as uint8), a head with a hidden layer is saved for it, {@code export-model
 * --format onnx} writes both forms, and ONNX Runtime must reproduce the store's vectors (max |Δ| /
 * max |ref| ≤ 1e-4) and the head's probabilities (≤ 1e-5).
 */
class OnnxExportTest {
  private static final int SIZE = 75;
  private static final List<String> LABELS = SyntheticImages.CLASSES;

  @TempDir static Path dir;
  static Path images;
  static String store;
  static String headDir;
  static Head head;
  static List<String> paths = new ArrayList<>();
  static float[][] stored;

  @BeforeAll
  static void writeStoreAndHead() throws Exception {
    images = dir.resolve("images");
    SyntheticImages.write(images, 2, 11, 50, 120);
    store = dir.resolve("store").toString();
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            "--images",
            images.toString(),
            "--out",
            store,
            "--random-weights",
            "3",
            "--image-size",
            "" + SIZE,
            "--resize",
            "nearest"),
        err.toString());
    FeatureStore features = FeatureStore.open(SharedSpark.session(), store);
    SortedMap<String, float[]> vectors = StoreFixtures.vectorsByPath(features);
    paths.addAll(vectors.keySet());
    stored = vectors.values().toArray(new float[0][]);
    assertEquals(8, stored.length);

    // A head with a hidden ReLU layer, weights large enough that the probabilities are far from
    // uniform.
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(4)
                .dataType(DataType.FLOAT)
                .list()
                .layer(
                    new DenseLayer.Builder().nIn(2048).nOut(16).activation(Activation.RELU).build())
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(16)
                        .nOut(LABELS.size())
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
    network.init();
    network.setParams(Nd4j.rand(DataType.FLOAT, 1, network.numParams()).subi(0.5).muli(2));
    headDir = dir.resolve("head").toString();
    HeadDirectory.write(
        headDir,
        new Head(network, LABELS, features.fingerprint()),
        Map.of(),
        Map.of(),
        false,
        new Configuration());
    head = HeadDirectory.load(headDir, new Configuration());
  }

  static int export(StringWriter err, String... args) {
    return JobMain.run(
        new ExportModelCommand(), ConfDefaults.load(null), new PrintWriter(err, true), args);
  }

  /**
   * The images as a client hands them over: decoded, resized as the fingerprint says, RGB uint8
   * NHWC. With nearest resizing the feature job's floats are {@code v / 127.5 − 1} of whole
   * numbers, so rounding back recovers them.
   */
  static byte[] clientPixels(Path root, List<String> relativePaths, int size, ResizeMethod resize)
      throws Exception {
    Preprocessor preprocessor = new Preprocessor(size, resize);
    int plane = size * size;
    byte[] pixels = new byte[relativePaths.size() * plane * 3];
    for (int n = 0; n < relativePaths.size(); n++) {
      float[] chw =
          preprocessor.toInput(
              new ImageDecoder(1 << 30, 1L << 30, Duration.ofMinutes(1))
                  .decode(Files.readAllBytes(root.resolve(relativePaths.get(n)))));
      for (int i = 0; i < plane; i++) {
        for (int c = 0; c < 3; c++) {
          pixels[(n * plane + i) * 3 + c] = (byte) Math.round((chw[c * plane + i] + 1) * 127.5f);
        }
      }
    }
    return pixels;
  }

  @Test
  void imageModelGivesTheStoresVectorsAndTheHeadsProbabilities() throws Exception {
    Path out = dir.resolve("model.onnx");
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        export(err, "--head", headDir, "--out", out.toString(), "--format", "onnx"),
        err.toString());

    try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(out, 2)) {
      OnnxRuntimeModel.Outputs served =
          onnx.runImages(
              clientPixels(images, paths, SIZE, ResizeMethod.NEAREST), paths.size(), SIZE);
      double features = OnnxRuntimeModel.relativeDifference(served.features(), stored);
      assertTrue(features <= 1e-4, "features differ from the store's by " + features);
      float[][] expected = head.probabilities(stored);
      double probabilities = OnnxRuntimeModel.maxDifference(served.probabilities(), expected);
      assertTrue(probabilities <= 1e-5, "probabilities differ by " + probabilities);
      assertTrue(
          maxProbability(expected) > 0.5,
          "the head must not be near-uniform for this test to mean much");
      System.out.printf(
          "ONNX image model vs store: features %.2e, probabilities %.2e%n",
          features, probabilities);

      Map<String, String> metadata = onnx.metadata();
      assertEquals(LABELS, Json.read(metadata.get("labels"), List.class, "labels"));
      assertEquals(head.fingerprint(), BackboneFingerprint.fromJson(metadata.get("fingerprint")));
      assertEquals(OnnxExport.version(), metadata.get("tltf_version"));
      assertFalse(metadata.get("tltf_version").isBlank());
      assertEquals("tltf", onnx.producer());
    }
  }

  @Test
  void headOnlyModelEqualsTheHeadOnStoredVectors() throws Exception {
    Path out = dir.resolve("head.onnx");
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        export(err, "--head", headDir, "--out", out.toString(), "--format", "onnx", "--head-only"),
        err.toString());
    try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(out, 1)) {
      float[][] served = onnx.runFeatures(stored).probabilities();
      float[][] expected = PortableHead.of(head).head().probabilities(stored);
      double difference = OnnxRuntimeModel.maxDifference(served, expected);
      assertTrue(difference <= 1e-5, "probabilities differ by " + difference);
      assertEquals(LABELS, Json.read(onnx.metadata().get("labels"), List.class, "labels"));
    }
  }

  @Test
  void badHeadsAndTargetsAreRefusedBeforeAnythingIsWritten() throws Exception {
    Path outDir = Files.createDirectories(dir.resolve("refused"));
    String out = outDir.resolve("m.onnx").toString();

    Path noLabels = copyHead("no-labels");
    Files.delete(noLabels.resolve(HeadDirectory.LABELS));
    assertRefused(
        "export-model: Cannot use head "
            + noLabels
            + ": it has no labels.txt, so it is not a complete tltf "
            + "head directory.",
        "--head",
        noLabels.toString(),
        "--out",
        out,
        "--format",
        "onnx");

    Path extraLabel = copyHead("extra-label");
    Files.writeString(
        extraLabel.resolve(HeadDirectory.LABELS), String.join("\n", LABELS) + "\nzebras\n");
    assertRefused(
        "export-model: Cannot use head "
            + extraLabel
            + ": labels.txt (5 labels) does not match head.json "
            + "(4 labels).",
        "--head",
        extraLabel.toString(),
        "--out",
        out,
        "--format",
        "onnx",
        "--head-only");

    Path elu = dir.resolve("elu-head");
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .list()
                .layer(
                    new DenseLayer.Builder().nIn(2048).nOut(8).activation(Activation.ELU).build())
                .layer(
                    new OutputLayer.Builder()
                        .nIn(8)
                        .nOut(LABELS.size())
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
    network.init();
    HeadDirectory.write(
        elu.toString(),
        new Head(network, LABELS, head.fingerprint()),
        Map.of(),
        Map.of(),
        false,
        new Configuration());
    assertRefused(
        "export-model: Cannot export head "
            + elu
            + " to ONNX: at its layer 0, its activation "
            + "elu(alpha=1.0) has no ONNX lowering here (supported: identity, relu, softmax, sigmoid, tanh).",
        "--head",
        elu.toString(),
        "--out",
        out,
        "--format",
        "onnx");

    assertRefused(
        "export-model: Invalid flags: --head-only needs --format onnx (the head's DL4J form is the "
            + "model.zip in its directory).",
        "--head",
        headDir,
        "--out",
        out,
        "--head-only");

    Files.writeString(Path.of(out), "someone else's file");
    assertRefused(
        "export-model: Cannot write an ONNX model to "
            + out
            + ": it already exists; pass --overwrite to "
            + "replace it.",
        "--head",
        headDir,
        "--out",
        out,
        "--format",
        "onnx",
        "--head-only");
    assertRefused(
        "export-model: Cannot write an ONNX model to "
            + out
            + ": it exists and was not written by tltf as an "
            + "ONNX model, so not even --overwrite replaces it.",
        "--head",
        headDir,
        "--out",
        out,
        "--format",
        "onnx",
        "--head-only",
        "--overwrite");
    assertEquals("someone else's file", Files.readString(Path.of(out)));

    // A model tltf wrote is replaced with --overwrite, and nothing is left beside it.
    Files.delete(Path.of(out));
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        export(err, "--head", headDir, "--out", out, "--format", "onnx", "--head-only"),
        err.toString());
    assertEquals(
        0,
        export(
            err, "--head", headDir, "--out", out, "--format", "onnx", "--head-only", "--overwrite"),
        err.toString());
    try (Stream<Path> files = Files.list(outDir)) {
      assertEquals(List.of("m.onnx"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aModelWhoseWriteFailsLeavesNothingBehind() throws Exception {
    Path outDir = Files.createDirectories(dir.resolve("failing"));
    String out = FailingFileSystem.location(outDir.resolve("head.onnx"));
    StringWriter err = new StringWriter();
    assertEquals(
        JobMain.EXIT_FAILED,
        export(err, "--head", headDir, "--out", out, "--format", "onnx", "--head-only"),
        err.toString());
    assertTrue(err.toString().contains("No space left on device"), err.toString());
    try (Stream<Path> files = Files.list(outDir)) {
      assertEquals(List.of(), files.toList(), "neither the model nor its temporary file");
    }
  }

  @Test
  void damagedAndMismatchedHeadsAreRefusedBeforeAnythingIsWritten() throws Exception {
    Files.createDirectories(dir.resolve("refused"));
    String out = dir.resolve("refused").resolve("damaged.onnx").toString();

    Path garbled = copyHead("garbled-model");
    Files.writeString(garbled.resolve(HeadDirectory.MODEL), "not a zip");
    String refusal = refusal("--head", garbled.toString(), "--out", out, "--format", "onnx");
    assertTrue(
        refusal.startsWith(
            "export-model: Cannot use head "
                + garbled
                + ": model.zip is not a readable DL4J network ("),
        refusal);

    Path badManifest = copyHead("bad-manifest");
    Files.writeString(badManifest.resolve(HeadDirectory.MANIFEST), "{\"format\": ");
    refusal =
        refusal("--head", badManifest.toString(), "--out", out, "--format", "onnx", "--head-only");
    assertTrue(refusal.startsWith("export-model: Cannot use head " + badManifest + ": "), refusal);

    // model.zip of another shape than head.json and labels.txt say.
    Path narrow = copyHead("narrow-input");
    ModelSerializer.writeModel(
        softmaxNetwork(100, LABELS.size()), narrow.resolve(HeadDirectory.MODEL).toFile(), false);
    assertRefused(
        "export-model: Cannot use head "
            + narrow
            + ": the model takes 100-d vectors but its backbone gives 2048-d.",
        "--head",
        narrow.toString(),
        "--out",
        out,
        "--format",
        "onnx");
    Path fewerOutputs = copyHead("fewer-outputs");
    ModelSerializer.writeModel(
        softmaxNetwork(2048, LABELS.size() - 1),
        fewerOutputs.resolve(HeadDirectory.MODEL).toFile(),
        false);
    assertRefused(
        "export-model: Cannot use head "
            + fewerOutputs
            + ": the model has 3 outputs but labels.txt has 4 labels.",
        "--head",
        fewerOutputs.toString(),
        "--out",
        out,
        "--format",
        "onnx",
        "--head-only");

    // A head on seeded random weights does not go with a weight file.
    Path weights = Files.writeString(dir.resolve("other.h5"), "x");
    assertRefused(
        "export-model: Cannot use --weights with head "
            + headDir
            + ": it was trained on seeded random weights (random:3), not on a weight file.",
        "--head",
        headDir,
        "--out",
        out,
        "--format",
        "onnx",
        "--weights",
        weights.toString());
  }

  private static MultiLayerNetwork softmaxNetwork(int inputs, int classes) {
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .list()
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(inputs)
                        .nOut(classes)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
    network.init();
    return network;
  }

  private void assertRefused(String message, String... args) throws Exception {
    assertEquals(message, refusal(args));
  }

  /** Runs a refused export: exit 2, nothing written beside --out; returns what it said. */
  private String refusal(String... args) throws Exception {
    Path outDir = dir.resolve("refused");
    List<String> before;
    try (Stream<Path> files = Files.list(outDir)) {
      before = files.map(Path::toString).sorted().toList();
    }
    StringWriter err = new StringWriter();
    assertEquals(JobMain.EXIT_BAD_INPUT, export(err, args), err.toString());
    try (Stream<Path> files = Files.list(outDir)) {
      assertEquals(before, files.map(Path::toString).sorted().toList(), "nothing may be written");
    }
    return err.toString().trim();
  }

  private static Path copyHead(String name) throws Exception {
    Path copy = Files.createDirectories(dir.resolve(name));
    try (Stream<Path> files = Files.list(Path.of(headDir))) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    return copy;
  }

  private static double maxProbability(float[][] probabilities) {
    double max = 0;
    for (float[] row : probabilities) {
      for (float p : row) {
        max = Math.max(max, p);
      }
    }
    return max;
  }
}
