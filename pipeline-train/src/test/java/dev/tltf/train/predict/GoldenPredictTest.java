package dev.tltf.train.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.head.HeadManifest;
import dev.tltf.common.store.StoreManifest;
import dev.tltf.common.testing.GoldenSets;
import dev.tltf.common.testing.JobConsole;
import dev.tltf.common.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code predict --features} of today, on every committed golden store and head, writes the
 * predictions those recorded (same rows, labels in the same order, probabilities within 1e-6), and
 * for the newest set the same CSV file; a store or head of a newer format is refused with one
 * sentence and exit status 2, before anything is written.
 */
class GoldenPredictTest {
  private static final double TOLERANCE = 1e-6;
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  static List<String> versions() {
    return GoldenSets.versions();
  }

  @ParameterizedTest
  @MethodSource("versions")
  void predictsWhatTheGoldenSetRecorded(String version) throws Exception {
    JsonNode expected = GoldenSets.expected(version).get("predictions");
    Path set = GoldenSets.copy(version, dir);
    Path parquet = dir.resolve("today.parquet");
    JobConsole.Output ran = predict(set, "--out", parquet.toString(), "--format", "parquet");
    assertEquals(JobMain.EXIT_OK, ran.status(), ran.err());

    List<Row> rows = SPARK.read().parquet(parquet.toString()).orderBy("path").collectAsList();
    assertEquals(expected.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode want = expected.get(i);
      String path = want.get("path").asText();
      assertEquals(path, rows.get(i).getString(rows.get(i).fieldIndex("path")));
      assertEquals(
          want.get("image_id").asText(), rows.get(i).getString(rows.get(i).fieldIndex("image_id")));
      List<Row> ranked = rows.get(i).getList(rows.get(i).fieldIndex("top_k"));
      assertEquals(want.get("top_k").size(), ranked.size(), path);
      for (int r = 0; r < ranked.size(); r++) {
        JsonNode top = want.get("top_k").get(r);
        assertEquals(top.get("label").asText(), ranked.get(r).getString(0), path);
        assertEquals(top.get("probability").asDouble(), ranked.get(r).getFloat(1), TOLERANCE, path);
      }
    }
  }

  /** Older sets' CSV files may be of an older output format: only the newest pins today's. */
  @Test
  void writesTheNewestSetsCsvFile() throws Exception {
    Path set = GoldenSets.copy(GoldenSets.latest(), dir);
    Path csv = dir.resolve("today.csv");
    JobConsole.Output ran = predict(set, "--out", csv.toString(), "--format", "csv");
    assertEquals(JobMain.EXIT_OK, ran.status(), ran.err());
    List<String> today = Files.readAllLines(csv);
    List<String> golden = Files.readAllLines(set.resolve("predictions.csv"));
    assertEquals(golden.get(0), today.get(0), "the CSV header");
    assertEquals(golden.size(), today.size(), "one line per prediction");
    for (int i = 1; i < golden.size(); i++) {
      String[] want = golden.get(i).split(",", -1);
      String[] got = today.get(i).split(",", -1);
      assertEquals(want.length, got.length, golden.get(i));
      for (int c = 0; c < want.length; c++) {
        if (golden.get(0).split(",", -1)[c].startsWith("probability_")) {
          assertEquals(Double.parseDouble(want[c]), Double.parseDouble(got[c]), TOLERANCE);
        } else {
          assertEquals(want[c], got[c], "column " + c + " of " + golden.get(i));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("versions")
  void refusesAStoreOfANewerFormatWithExitStatus2(String version) throws Exception {
    Path set = GoldenSets.copy(version, dir);
    int newer = StoreManifest.FORMAT_VERSION + 1;
    GoldenSets.setFormatVersion(set.resolve("store/_tltf/store.json"), newer);
    Path out = dir.resolve("refused.parquet");
    JobConsole.Output ran = predict(set, "--out", out.toString());
    assertEquals(JobMain.EXIT_BAD_INPUT, ran.status(), ran.err());
    assertTrue(
        ran.err()
            .contains(
                "Cannot read feature store "
                    + set.resolve("store")
                    + ": it has format version "
                    + newer
                    + ", and this tltf reads versions up to "
                    + StoreManifest.FORMAT_VERSION
                    + "."),
        ran.err());
    assertFalse(Files.exists(out), "nothing is written");
  }

  @ParameterizedTest
  @MethodSource("versions")
  void refusesAHeadOfANewerFormatWithExitStatus2(String version) throws Exception {
    Path set = GoldenSets.copy(version, dir);
    int newer = HeadManifest.FORMAT_VERSION + 1;
    GoldenSets.setFormatVersion(set.resolve("head/head.json"), newer);
    Path out = dir.resolve("refused.parquet");
    JobConsole.Output ran = predict(set, "--out", out.toString());
    assertEquals(JobMain.EXIT_BAD_INPUT, ran.status(), ran.err());
    assertTrue(
        ran.err()
            .contains(
                "Cannot use head "
                    + set.resolve("head")
                    + ": it has format version "
                    + newer
                    + ", and this tltf reads versions up to "
                    + HeadManifest.FORMAT_VERSION
                    + "."),
        ran.err());
    assertFalse(Files.exists(out), "nothing is written");
  }

  private static JobConsole.Output predict(Path set, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "--head";
    args[1] = set.resolve("head").toString();
    args[2] = "--features";
    args[3] = set.resolve("store").toString();
    System.arraycopy(more, 0, args, 4, more.length);
    return JobConsole.run(new PredictFeaturesCommand(), args);
  }
}
