package dev.tltf.common.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.testing.GoldenSets;
import dev.tltf.common.testing.SharedSpark;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The newest golden predictions, in both formats, are still what today's {@link PredictionOutput}
 * writes: the Parquet table has today's {@link PredictionRows#SCHEMA} and its marker, and the CSV
 * file has today's header and number formatting; both hold the rows expected.json recorded. (Older
 * sets are not held to today's output format: a change of it makes a new set.)
 */
class GoldenPredictionsTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  static List<String> versions() {
    return List.of(GoldenSets.latest());
  }

  @ParameterizedTest
  @MethodSource("versions")
  void parquetTableHasTodaysSchemaAndTheRecordedRows(String version) throws Exception {
    JsonNode expected = GoldenSets.expected(version).get("predictions");
    Path table = GoldenSets.copy(version, dir).resolve("predictions.parquet");
    assertTrue(Files.isRegularFile(table.resolve(PredictionOutput.MARKER)), "tltf's marker");
    List<Row> rows = SPARK.read().parquet(table.toString()).orderBy("path").collectAsList();
    assertEquals(
        PredictionRows.SCHEMA.asNullable(),
        SPARK.read().parquet(table.toString()).schema().asNullable(),
        "the predictions schema changed: that is a new format (see docs/DESIGN.md)");
    assertEquals(expected.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode want = expected.get(i);
      Row row = rows.get(i);
      String path = want.get("path").asText();
      assertEquals(path, row.getString(row.fieldIndex("path")));
      assertEquals(want.get("image_id").asText(), row.getString(row.fieldIndex("image_id")));
      assertNull(row.get(row.fieldIndex("error")), path);
      JsonNode top = want.get("top_k");
      assertEquals(top.get(0).get("label").asText(), row.getString(row.fieldIndex("label")));
      assertEquals(
          (float) top.get(0).get("probability").asDouble(),
          row.getFloat(row.fieldIndex("probability")),
          path);
      List<Row> ranked = row.getList(row.fieldIndex("top_k"));
      assertEquals(top.size(), ranked.size(), path);
      for (int r = 0; r < ranked.size(); r++) {
        assertEquals(top.get(r).get("label").asText(), ranked.get(r).getString(0), path);
        assertEquals(
            (float) top.get(r).get("probability").asDouble(), ranked.get(r).getFloat(1), path);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("versions")
  void csvFileHasTodaysHeaderAndTheRecordedRows(String version) throws Exception {
    JsonNode expected = GoldenSets.expected(version).get("predictions");
    Path file = GoldenSets.copy(version, dir).resolve("predictions.csv");
    int k = expected.get(0).get("top_k").size();
    try (InputStream in = Files.newInputStream(file)) {
      assertTrue(PredictionCsv.hasOurHeader(in), "today's code recognises the file as tltf's");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser csv = CSVParser.parse(reader, PredictionCsv.FORMAT)) {
      List<CSVRecord> records = csv.getRecords();
      assertEquals(PredictionCsv.header(k), records.get(0).toList());
      assertEquals(expected.size(), records.size() - 1, "one line per prediction");
      for (int i = 0; i < expected.size(); i++) {
        JsonNode want = expected.get(i);
        CSVRecord record = records.get(i + 1);
        assertEquals(want.get("path").asText(), record.get(0));
        assertEquals(want.get("image_id").asText(), record.get(1));
        for (int r = 0; r < k; r++) {
          JsonNode top = want.get("top_k").get(r);
          assertEquals(top.get("label").asText(), record.get(2 + 2 * r));
          float probability = (float) top.get("probability").asDouble();
          assertEquals(PredictionCsv.plain(probability), record.get(3 + 2 * r));
        }
        assertEquals("", record.get(2 + 2 * k), "no error");
      }
    }
  }
}
