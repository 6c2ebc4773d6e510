package dev.tltf.common.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.testing.StoreFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class HeadDirectoryTest {
  private static final BackboneFingerprint FINGERPRINT = StoreFixtures.fingerprint("random:1", 4);
  private final Configuration conf = new Configuration();

  @TempDir Path dir;

  static Head head(int inputs, List<String> labels) {
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(3)
                .list()
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(inputs)
                        .nOut(labels.size())
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
    network.init();
    return new Head(network, labels, StoreFixtures.fingerprint("random:1", inputs));
  }

  @Test
  void roundTripKeepsLabelsFingerprintAndPredictions() throws Exception {
    Head head = head(4, List.of("cat", "dog", "fox"));
    String location = dir.resolve("head").toString();
    HeadDirectory.write(
        location,
        head,
        Map.of("epochs", 3),
        Map.of("metrics.json", "{}".getBytes(StandardCharsets.UTF_8)),
        false,
        conf);

    Head loaded = HeadDirectory.load(location, conf);
    assertEquals(List.of("cat", "dog", "fox"), loaded.labels());
    assertEquals(FINGERPRINT, loaded.fingerprint());
    float[][] input = {{1, 2, 3, 4}, {0, 0, 1, 0}};
    assertArrayEquals(head.probabilities(input)[1], loaded.probabilities(input)[1], 0f);
    assertEquals("cat\ndog\nfox\n", Files.readString(dir.resolve("head/labels.txt")));
    assertTrue(Files.isRegularFile(dir.resolve("head/metrics.json")));
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(dir.resolve("head")), files.toList(), "no temporary directory is left behind");
    }
  }

  @Test
  void neverOverwritesUnlessAsked() throws Exception {
    String location = dir.resolve("head").toString();
    HeadDirectory.write(location, head(4, List.of("a", "b")), Map.of(), Map.of(), false, conf);
    assertEquals(
        "Cannot write a head to "
            + location
            + ": it already exists; pass --overwrite to replace it.",
        assertThrows(
                InvalidInputException.class,
                () ->
                    HeadDirectory.write(
                        location, head(4, List.of("x", "y", "z")), Map.of(), Map.of(), false, conf))
            .getMessage());
    HeadDirectory.write(location, head(4, List.of("x", "y", "z")), Map.of(), Map.of(), true, conf);
    assertEquals(List.of("x", "y", "z"), HeadDirectory.load(location, conf).labels());
  }

  @Test
  void refusesIncompleteOrInconsistentHeads() throws Exception {
    String location = dir.resolve("head").toString();
    HeadDirectory.write(location, head(4, List.of("a", "b")), Map.of(), Map.of(), false, conf);
    Files.writeString(dir.resolve("head/labels.txt"), "a\nb\nc\n");
    assertEquals(
        "Cannot use head "
            + location
            + ": labels.txt (3 labels) does not match head.json (2 labels).",
        assertThrows(InvalidInputException.class, () -> HeadDirectory.load(location, conf))
            .getMessage());
    Files.delete(dir.resolve("head/model.zip"));
    assertEquals(
        "Cannot use head "
            + location
            + ": it has no model.zip, so it is not a complete tltf head directory.",
        assertThrows(InvalidInputException.class, () -> HeadDirectory.load(location, conf))
            .getMessage());
    assertEquals(
        "Cannot use head " + dir.resolve("none") + ": it does not exist or is not a directory.",
        assertThrows(
                InvalidInputException.class,
                () -> HeadDirectory.load(dir.resolve("none").toString(), conf))
            .getMessage());
  }
}
