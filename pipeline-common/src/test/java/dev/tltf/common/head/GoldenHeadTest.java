package dev.tltf.common.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.testing.GoldenSets;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed golden head still loads with today's {@link HeadDirectory} and gives, on the
 * golden store's vectors, the labels and probabilities its predictions recorded (within 1e-6: the
 * float32 GEMM may round differently on another CPU).
 */
class GoldenHeadTest {
  static final double TOLERANCE = 1e-6;
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  static List<String> versions() {
    return GoldenSets.versions();
  }

  @ParameterizedTest
  @MethodSource("versions")
  void predictsTheRecordedProbabilities(String version) {
    JsonNode expected = GoldenSets.expected(version);
    Path set = GoldenSets.copy(version, dir);
    Head head = HeadDirectory.load(set.resolve("head").toString(), new Configuration());
    List<String> labels = new ArrayList<>();
    expected.get("labels").forEach(label -> labels.add(label.asText()));
    assertEquals(labels, head.labels());

    FeatureStore store = FeatureStore.open(SPARK, set.resolve("store").toString());
    store.requireFingerprint(head.fingerprint(), "the golden head");
    SortedMap<String, float[]> byPath = StoreFixtures.vectorsByPath(store);
    List<String> paths = List.copyOf(byPath.keySet());
    float[][] vectors = byPath.values().toArray(new float[0][]);
    float[][] probabilities = head.probabilities(vectors);

    JsonNode predictions = expected.get("predictions");
    assertEquals(predictions.size(), paths.size(), "one recorded prediction per vector");
    for (int i = 0; i < paths.size(); i++) {
      JsonNode want = predictions.get(i);
      assertEquals(want.get("path").asText(), paths.get(i));
      List<Head.Prediction> ranked = head.topK(probabilities[i], want.get("top_k").size());
      for (int r = 0; r < ranked.size(); r++) {
        JsonNode top = want.get("top_k").get(r);
        String where = want.get("path").asText() + " rank " + (r + 1);
        assertEquals(top.get("label").asText(), ranked.get(r).label(), where);
        assertEquals(
            top.get("probability").asDouble(), ranked.get(r).probability(), TOLERANCE, where);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("versions")
  void refusesAHeadOfANewerFormat(String version) throws Exception {
    Path head = GoldenSets.copy(version, dir).resolve("head");
    int newer = HeadManifest.FORMAT_VERSION + 1;
    GoldenSets.setFormatVersion(head.resolve(HeadDirectory.MANIFEST), newer);
    InvalidInputException refused =
        assertThrows(
            InvalidInputException.class,
            () -> HeadDirectory.load(head.toString(), new Configuration()));
    assertEquals(
        "Cannot use head "
            + head
            + ": it has format version "
            + newer
            + ", and this tltf reads versions up to "
            + HeadManifest.FORMAT_VERSION
            + ".",
        refused.getMessage());
  }
}
