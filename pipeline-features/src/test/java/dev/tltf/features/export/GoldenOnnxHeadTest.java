package dev.tltf.features.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.io.Json;
import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.testing.GoldenSets;
import dev.tltf.common.testing.JobConsole;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.features.export.onnx.OnnxRuntimeModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed golden head-only ONNX file still loads in ONNX Runtime with its labels and
 * fingerprint, and gives on the golden store's vectors the probabilities the golden predictions
 * recorded; today's export of the golden head gives the same.
 */
class GoldenOnnxHeadTest {
  /**
   * ONNX Runtime's GEMM and DL4J's sum in another order: 4.8e-7 at most on v1 (AMD EPYC, AVX-512),
   * so 1e-6 would leave another CPU's rounding little room; {@code OnnxExportTest} uses the same
   * bound.
   */
  private static final double TOLERANCE = 1e-5;

  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  static List<String> versions() {
    return GoldenSets.versions();
  }

  @ParameterizedTest
  @MethodSource("versions")
  void servesTheRecordedProbabilities(String version) throws Exception {
    JsonNode expected = GoldenSets.expected(version);
    Path set = GoldenSets.copy(version, dir);
    FeatureStore store = FeatureStore.open(SPARK, set.resolve("store").toString());
    SortedMap<String, float[]> byPath = StoreFixtures.vectorsByPath(store);
    List<String> paths = List.copyOf(byPath.keySet());
    float[][] vectors = byPath.values().toArray(new float[0][]);
    List<String> labels = new ArrayList<>();
    expected.get("labels").forEach(label -> labels.add(label.asText()));

    try (OnnxRuntimeModel golden = OnnxRuntimeModel.load(set.resolve("head.onnx"), 1)) {
      assertEquals(labels, Json.read(golden.metadata().get("labels"), List.class, "labels"));
      assertEquals(
          store.fingerprint(), BackboneFingerprint.fromJson(golden.metadata().get("fingerprint")));
      float[][] served = golden.runFeatures(vectors).probabilities();
      JsonNode predictions = expected.get("predictions");
      assertEquals(predictions.size(), served.length);
      double worst = 0;
      for (int i = 0; i < served.length; i++) {
        JsonNode want = predictions.get(i);
        assertEquals(want.get("path").asText(), paths.get(i));
        for (JsonNode top : want.get("top_k")) {
          float probability = served[i][labels.indexOf(top.get("label").asText())];
          worst = Math.max(worst, Math.abs(probability - top.get("probability").asDouble()));
        }
      }
      assertTrue(worst <= TOLERANCE, "served probabilities differ from the recorded by " + worst);

      Path today = dir.resolve("today.onnx");
      JobConsole.Output exported =
          JobConsole.run(
              new ExportModelCommand(),
              "--head",
              set.resolve("head").toString(),
              "--out",
              today.toString(),
              "--format",
              "onnx",
              "--head-only");
      assertEquals(0, exported.status(), exported.err());
      try (OnnxRuntimeModel current = OnnxRuntimeModel.load(today, 1)) {
        double difference =
            OnnxRuntimeModel.maxDifference(current.runFeatures(vectors).probabilities(), served);
        assertTrue(difference <= TOLERANCE, "today's export differs by " + difference);
      }
    }
  }
}
