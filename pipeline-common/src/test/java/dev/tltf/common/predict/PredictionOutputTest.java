package dev.tltf.common.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * predictions.csv is one RFC 4180 file at the path given; Parquet stays a directory; neither
 * replaces others' data.
 */
class PredictionOutputTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  private static Row prediction(
      String path, String id, String first, float p1, String second, float p2) {
    return RowFactory.create(
        path,
        id,
        first,
        p1,
        new Row[] {RowFactory.create(first, p1), RowFactory.create(second, p2)},
        null);
  }

  private static Dataset<Row> predictions() {
    List<Row> rows =
        List.of(
            prediction("plain/a.jpg", "aa", "cat", 0.75f, "dog", 0.25f),
            prediction("with, comma/\"quoted\" name.jpg", "bb", "a,\"b", 0.5f, "dog", 0.00001f),
            prediction("Ünïcødé/ leading space.png", "cc", "chat noir", 1f, "dog", 0f),
            PredictionRows.failed(
                "broken/x.jpg", null, "The bytes are no image we decode, line one.\nline two"));
    return SPARK.createDataFrame(rows, PredictionRows.SCHEMA).repartition(3);
  }

  private List<String> filesIn(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void csvIsOneFileQuotedAsRfc4180AndReadsBackExactly() throws Exception {
    Path out = dir.resolve("predictions.csv");
    PredictionOutput.Counts counts =
        PredictionOutput.write(
            SPARK, predictions(), 2, PredictionOutput.Format.CSV, out.toString(), false);
    assertEquals(new PredictionOutput.Counts(3, 1), counts);
    assertEquals(List.of("predictions.csv"), filesIn(dir), "one file, nothing beside it");
    assertTrue(Files.isRegularFile(out));

    String text = Files.readString(out, StandardCharsets.UTF_8);
    // Hand-checked RFC 4180 lines, sorted by path.
    assertEquals(
        """
        path,image_id,label_1,probability_1,label_2,probability_2,error
        broken/x.jpg,,,,,,"The bytes are no image we decode, line one.
        line two"
        plain/a.jpg,aa,cat,0.75,dog,0.25,
        "with, comma/""quoted"" name.jpg",bb,"a,""b",0.5,dog,0.00001,
        Ünïcødé/ leading space.png,cc,chat noir,1,dog,0,
        """,
        text);

    // Read back by another CSV implementation (Spark's, univocity) told to read RFC 4180.
    List<Row> read =
        SPARK
            .read()
            .option("header", "true")
            .option("escape", "\"")
            .option("multiLine", "true")
            .option("ignoreLeadingWhiteSpace", "false")
            .option("ignoreTrailingWhiteSpace", "false")
            .csv(out.toString())
            .orderBy("path")
            .collectAsList();
    List<List<String>> cells = new ArrayList<>();
    for (Row row : read) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        values.add(row.getString(i));
      }
      cells.add(values);
    }
    assertEquals(
        List.of(
            Arrays.asList(
                "broken/x.jpg",
                null,
                null,
                null,
                null,
                null,
                "The bytes are no image we decode, line one.\nline two"),
            Arrays.asList("plain/a.jpg", "aa", "cat", "0.75", "dog", "0.25", null),
            Arrays.asList(
                "with, comma/\"quoted\" name.jpg", "bb", "a,\"b", "0.5", "dog", "0.00001", null),
            Arrays.asList("Ünïcødé/ leading space.png", "cc", "chat noir", "1", "dog", "0", null)),
        cells);
  }

  @Test
  void csvReplacesOnlyItsOwnFileAndOnlyWithOverwrite() throws Exception {
    Path out = dir.resolve("predictions.csv");
    PredictionOutput.write(
        SPARK, predictions(), 2, PredictionOutput.Format.CSV, out.toString(), false);
    InvalidInputException again =
        assertThrows(
            InvalidInputException.class,
            () ->
                PredictionOutput.write(
                    SPARK, predictions(), 1, PredictionOutput.Format.CSV, out.toString(), false));
    assertEquals(
        "Cannot write predictions to "
            + out
            + ": it already exists; pass --overwrite to replace it.",
        again.getMessage());

    PredictionOutput.write(
        SPARK, predictions(), 1, PredictionOutput.Format.CSV, out.toString(), true);
    assertTrue(Files.readString(out).startsWith("path,image_id,label_1,probability_1,error\n"));
    assertEquals(List.of("predictions.csv"), filesIn(dir));

    Path theirs = Files.writeString(dir.resolve("theirs.csv"), "path,label\nx.jpg,cat\n");
    InvalidInputException foreign =
        assertThrows(
            InvalidInputException.class,
            () ->
                PredictionOutput.write(
                    SPARK, predictions(), 1, PredictionOutput.Format.CSV, theirs.toString(), true));
    assertEquals(
        "Cannot write predictions to "
            + theirs
            + ": it exists and was not written by tltf as predictions, "
            + "so not even --overwrite replaces it.",
        foreign.getMessage());
    assertEquals("path,label\nx.jpg,cat\n", Files.readString(theirs));
  }

  @Test
  void parquetKeepsTheDirectoryForm() throws Exception {
    Path out = dir.resolve("predictions");
    PredictionOutput.Counts counts =
        PredictionOutput.write(
            SPARK, predictions(), 2, PredictionOutput.Format.PARQUET, out.toString(), false);
    assertEquals(new PredictionOutput.Counts(3, 1), counts);
    assertTrue(Files.isRegularFile(out.resolve(PredictionOutput.MARKER)));
    assertEquals(4, SPARK.read().parquet(out.toString()).count());
    assertEquals(List.of("predictions"), filesIn(dir));
  }
}
