package dev.tltf.train.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.TrainHeadCommand;
import dev.tltf.train.predict.PredictFeaturesCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label files as pandas writes them (RFC 4180: quoted commas, doubled quotes, spaces, non-ASCII, an
 * unnamed index column) and predictions.csv read back by another CSV implementation: labels and
 * paths survive exactly. The label file was written by Python's csv module, pandas' writer
 * (src/test/resources/…/make_pandas_style_labels.py).
 */
class PandasCsvRoundTripTest {
  private static final SparkSession SPARK = SharedSpark.session();

  /** The rows of pandas-style-labels.csv, as the script makes them. */
  private static final Map<String, String> PATTERNS = new LinkedHashMap<>();

  static {
    PATTERNS.put("a,\"b", "with, comma/\"quoted\" %d.jpg");
    PATTERNS.put("chat noir", "spaced name/four five %d.jpg");
    PATTERNS.put("café 猫", "Ünïcødé/写真 %d.png");
  }

  @TempDir static Path dir;
  static Path labels;
  static String store;
  static Map<String, String> expected = new LinkedHashMap<>();

  @BeforeAll
  static void writeStore() throws Exception {
    labels = Path.of(PandasCsvRoundTripTest.class.getResource("pandas-style-labels.csv").toURI());
    List<String> classes = new ArrayList<>(PATTERNS.keySet());
    List<StoreFixtures.Vector> blobs = StoreFixtures.blobs(classes, 8, 16, 0.05, 31);
    List<StoreFixtures.Vector> vectors = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      for (int i = 0; i < 8; i++) {
        StoreFixtures.Vector blob = blobs.get(c * 8 + i);
        String path = String.format(PATTERNS.get(classes.get(c)), i);
        expected.put(path, classes.get(c));
        vectors.add(new StoreFixtures.Vector(path, blob.imageId(), blob.values()));
      }
    }
    store = dir.resolve("store").toString();
    StoreFixtures.write(SPARK, store, StoreFixtures.fingerprint("random:1", 16), vectors);
  }

  private static void run(Object command, String... args) {
    StringWriter err = new StringWriter();
    int status = JobMain.run(command, ConfDefaults.load(null), new PrintWriter(err, true), args);
    assertEquals(0, status, err.toString());
  }

  @Test
  void theFixtureIsQuotedTheStandardWay() throws Exception {
    String text = Files.readString(labels, StandardCharsets.UTF_8);
    assertTrue(
        text.startsWith(",path,label\n0,\"with, comma/\"\"quoted\"\" 0.jpg\",\"a,\"\"b\"\n"), text);
  }

  @Test
  void labelsAndPathsSurviveTrainingAndPrediction() throws Exception {
    CsvLabelSource source = CsvLabelSource.read(SPARK, labels.toString());
    assertEquals("path", source.keyColumn());
    expected.forEach((path, label) -> assertEquals(label, source.labelOf(path, null), path));
    assertEquals(List.of(), source.conflicts());
    assertEquals(0, source.blankLabels());

    String head = dir.resolve("head").toString();
    run(
        new TrainHeadCommand(),
        "--features",
        store,
        "--out",
        head,
        "--labels",
        labels.toString(),
        "--min-examples",
        "1",
        "--epochs",
        "30",
        "--l2",
        "0.001");
    assertEquals(
        new TreeSet<>(PATTERNS.keySet()),
        new TreeSet<>(HeadDirectory.load(head, new Configuration()).labels()));

    Path predictions = dir.resolve("predictions.csv");
    run(
        new PredictFeaturesCommand(),
        "--head",
        head,
        "--features",
        store,
        "--out",
        predictions.toString(),
        "--format",
        "csv",
        "--top-k",
        "2");
    List<Row> rows =
        SPARK
            .read()
            .option("header", "true")
            .option("escape", "\"")
            .option("multiLine", "true")
            .option("ignoreLeadingWhiteSpace", "false")
            .option("ignoreTrailingWhiteSpace", "false")
            .csv(predictions.toString())
            .collectAsList();
    assertEquals(expected.keySet(), new TreeSet<>(rows.stream().map(r -> r.getString(0)).toList()));
    Set<String> classes = PATTERNS.keySet();
    long correct = 0;
    for (Row row : rows) {
      assertTrue(
          classes.contains(row.getString(2)) && classes.contains(row.getString(4)), row.toString());
      correct += expected.get(row.getString(0)).equals(row.getString(2)) ? 1 : 0;
    }
    assertTrue(correct >= 18, correct + " of 24 correct: the labels follow their paths");
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheHeader() throws Exception {
    Path file = dir.resolve("bom.csv");
    Files.writeString(
        file,
        "\uFEFFpath,label\r\n\"spaced name/four five 0.jpg\",\"x, y\"\r\n",
        StandardCharsets.UTF_8);
    assertEquals(
        "x, y",
        CsvLabelSource.read(SPARK, file.toString()).labelOf("spaced name/four five 0.jpg", null));
  }

  @Test
  void aBrokenFileIsNamedWithItsRow() throws Exception {
    Path ragged = Files.writeString(dir.resolve("ragged.csv"), "path,label\na.jpg,x\nb.jpg,y,z\n");
    assertEquals(
        "Invalid --labels " + ragged + ": row 2 (line 3) has 3 fields, its header 2.",
        assertThrows(
                InvalidInputException.class, () -> CsvLabelSource.read(SPARK, ragged.toString()))
            .getMessage());
    Path open = Files.writeString(dir.resolve("open.csv"), "path,label\n\"a.jpg,x\n");
    String message =
        assertThrows(InvalidInputException.class, () -> CsvLabelSource.read(SPARK, open.toString()))
            .getMessage();
    assertTrue(
        message.startsWith("Cannot read --labels " + open + ": ") && message.contains("EOF"),
        message);
    Path missing = dir.resolve("missing.csv");
    assertEquals(
        "Cannot read --labels " + missing + ": no such file.",
        assertThrows(
                InvalidInputException.class, () -> CsvLabelSource.read(SPARK, missing.toString()))
            .getMessage());
  }
}
