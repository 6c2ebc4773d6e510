package dev.tltf.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.testing.GoldenSets;
import dev.tltf.common.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed golden store still reads, through today's {@link FeatureStore}, as the rows that
 * were written: the same paths, image ids, sizes and vectors (checked value by value against the
 * checksums and sums expected.json recorded without tltf's reader), and the same error rows.
 */
class GoldenStoreTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  static List<String> versions() {
    return GoldenSets.versions();
  }

  @ParameterizedTest
  @MethodSource("versions")
  void readsTheSameVectors(String version) {
    JsonNode expected = GoldenSets.expected(version);
    FeatureStore store =
        FeatureStore.open(SPARK, GoldenSets.copy(version, dir).resolve("store").toString());
    Map<String, Row> rows = new TreeMap<>();
    for (Row row : store.features().collectAsList()) {
      rows.put(row.getString(row.fieldIndex(FeatureStoreSchema.PATH)), row);
    }
    assertEquals(expected.get("features").size(), rows.size(), "feature rows");
    assertFalse(rows.isEmpty(), "a golden store without vectors proves nothing");
    for (JsonNode want : expected.get("features")) {
      String path = want.get("path").asText();
      Row row = rows.get(path);
      assertEquals(want.get("image_id").asText(), row.getString(row.fieldIndex("image_id")), path);
      assertEquals(want.get("width").asInt(), row.getInt(row.fieldIndex("width")), path);
      assertEquals(want.get("height").asInt(), row.getInt(row.fieldIndex("height")), path);
      assertEquals(
          store.fingerprint().id(),
          row.getString(row.fieldIndex(FeatureStoreSchema.BACKBONE)),
          "the fingerprint id the row was written with is still the one computed today");
      float[] vector =
          store.toVector(
              row.getList(row.fieldIndex(FeatureStoreSchema.FEATURES)),
              store.fingerprint().dimension(),
              path);
      assertEquals(want.get("dimension").asInt(), vector.length, path);
      for (int i = 0; i < want.get("first").size(); i++) {
        assertEquals((float) want.get("first").get(i).asDouble(), vector[i], path + " value " + i);
      }
      double sum = 0;
      for (float value : vector) {
        sum += value;
      }
      assertEquals(want.get("sum").asDouble(), sum, path + " sum");
      assertEquals(want.get("sha256_float32_be").asText(), GoldenSets.sha256(vector), path);
    }
  }

  @ParameterizedTest
  @MethodSource("versions")
  void readsTheSameErrorsAndRuns(String version) {
    JsonNode expected = GoldenSets.expected(version);
    FeatureStore store =
        FeatureStore.open(SPARK, GoldenSets.copy(version, dir).resolve("store").toString());
    List<Row> errors = store.errors().orderBy(FeatureStoreSchema.PATH).collectAsList();
    assertEquals(expected.get("errors").size(), errors.size(), "error rows");
    assertFalse(errors.isEmpty(), "the golden store holds an error row");
    for (int i = 0; i < errors.size(); i++) {
      JsonNode want = expected.get("errors").get(i);
      Row row = errors.get(i);
      assertEquals(want.get("path").asText(), row.getString(row.fieldIndex("path")));
      assertEquals(
          want.get("image_id").isNull() ? null : want.get("image_id").asText(),
          row.getString(row.fieldIndex("image_id")));
      assertEquals(want.get("error_class").asText(), row.getString(row.fieldIndex("error_class")));
      assertEquals(want.get("reason").asText(), row.getString(row.fieldIndex("reason")));
    }
    List<RunSummary> runs = store.runSummaries();
    assertEquals(1, runs.size(), "the golden store has one committed run");
    assertEquals(expected.get("features").size(), runs.get(0).featureRows());
    assertEquals(expected.get("errors").size(), runs.get(0).errorRows());
    assertEquals(
        runs.get(0).listed(),
        runs.get(0).alreadyStored() + runs.get(0).featureRows() + runs.get(0).errorRows());
  }

  @ParameterizedTest
  @MethodSource("versions")
  void refusesAStoreOfANewerFormat(String version) throws Exception {
    Path store = GoldenSets.copy(version, dir).resolve("store");
    int newer = StoreManifest.FORMAT_VERSION + 1;
    GoldenSets.setFormatVersion(store.resolve("_tltf/store.json"), newer);
    InvalidInputException refused =
        assertThrows(InvalidInputException.class, () -> FeatureStore.open(SPARK, store.toString()));
    assertEquals(
        "Cannot read feature store "
            + store
            + ": it has format version "
            + newer
            + ", and this tltf reads versions up to "
            + StoreManifest.FORMAT_VERSION
            + ".",
        refused.getMessage());
  }

  @ParameterizedTest
  @MethodSource("versions")
  void refusesToAddToAStoreOfANewerFormatBeforeWritingAnything(String version) throws Exception {
    Path store = GoldenSets.copy(version, dir).resolve("store");
    GoldenSets.setFormatVersion(
        store.resolve("_tltf/store.json"), StoreManifest.FORMAT_VERSION + 1);
    List<Path> before = files(store);
    BackboneFingerprint fingerprint =
        StoreManifest.fromJson(Files.readString(store.resolve("_tltf/store.json"))).fingerprint();
    InvalidInputException refused =
        assertThrows(
            InvalidInputException.class,
            () ->
                FeatureStoreWriter.openOrCreate(
                    store.toString(), fingerprint, SPARK.sparkContext().hadoopConfiguration()));
    assertTrue(refused.getMessage().contains("it has format version"), refused.getMessage());
    assertEquals(before, files(store), "a newer store is left as it was (no lease, no repair)");
  }

  private static List<Path> files(Path root) throws java.io.IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      return walk.sorted().toList();
    }
  }
}
