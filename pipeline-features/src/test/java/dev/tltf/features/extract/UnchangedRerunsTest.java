package dev.tltf.features.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.demo.SyntheticImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-runs on an unchanged folder write nothing a plain reader could double-count; a file whose
 * bytes changed has a current row that the README's queries find; compaction starts by itself past
 * its threshold.
 */
class UnchangedRerunsTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final String FEATURES = "DuckDB: every feature row";
  private static final String ERRORS = "DuckDB: every error row";
  private static final String CURRENT_DUCKDB =
      "DuckDB: the current feature rows (the latest run of each path)";
  private static final String CURRENT_SPARK =
      "Spark SQL: the current feature rows (the latest run of each path)";

  @TempDir Path dir;

  /**
   * 7 images, an empty .jpg and an HTML page named .jpg: 9 files, 7 feature rows and 2 error rows.
   */
  private Path nineFiles() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 2, 61, 40, 70);
    Files.delete(images.resolve("stripes/stripes_001.png"));
    Files.write(images.resolve("stripes/empty.jpg"), new byte[0]);
    Files.writeString(
        images.resolve("squares/page.jpg"),
        "<!DOCTYPE html><html><body>Not found</body></html>",
        StandardCharsets.UTF_8);
    return images;
  }

  private RunSummary extract(Path images, String store, String... extra) {
    StringWriter err = new StringWriter();
    String[] args =
        Stream.concat(
                Stream.of(
                    "--images",
                    images.toString(),
                    "--out",
                    store,
                    "--random-weights",
                    "5",
                    "--image-size",
                    "75",
                    "--progress-seconds",
                    "0"),
                Stream.of(extra))
            .toArray(String[]::new);
    assertEquals(
        0,
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            args),
        err.toString());
    List<RunSummary> runs = FeatureStore.open(SPARK, store).runSummaries();
    return runs.get(runs.size() - 1);
  }

  @Test
  void threeUnchangedRunsLeaveExactlyTheFirstRunsRowsForAPlainReader() throws Exception {
    Path images = nineFiles();
    Path broken =
        Files.createSymbolicLink(
            images.resolve("circles/link.jpg"), images.resolve("circles/gone.jpg"));
    String store = dir.resolve("store").toString();
    ReadmeQueries readme = new ReadmeQueries();

    RunSummary first = extract(images, store);
    assertEquals(10, first.listed());
    assertEquals(7, first.featureRows());
    assertEquals(3, first.errorRows(), "empty, HTML, and the dangling link");
    List<String> features = readme.duckdb(FEATURES, store, "path", "image_id", "run");
    List<String> errors = readme.duckdb(ERRORS, store, "path", "error_class", "run");
    assertEquals(7, features.size());
    assertEquals(
        List.of(
            "circles/link.jpg|unreadable|" + first.runId(),
            "squares/page.jpg|unsupported_format|" + first.runId(),
            "stripes/empty.jpg|empty_file|" + first.runId()),
        errors);

    for (int rerun = 0; rerun < 3; rerun++) {
      RunSummary again = extract(images, store);
      assertEquals(0, again.computed());
      assertEquals(0, again.featureRows());
      assertEquals(
          0, again.errorRows(), "the dangling link is retried and fails the same way: no new row");
      assertEquals(10, again.alreadyStored());
      assertFalse(
          Files.exists(Path.of(store, "features", "run=" + again.runId())), "no partition at all");
      assertFalse(Files.exists(Path.of(store, "errors", "run=" + again.runId())));
      assertTrue(
          Files.exists(Path.of(store, "_tltf/runs", again.runId() + ".json")),
          "its marker says it ran");
    }
    assertEquals(features, readme.duckdb(FEATURES, store, "path", "image_id", "run"));
    assertEquals(errors, readme.duckdb(ERRORS, store, "path", "error_class", "run"));
    assertEquals(4, FeatureStore.open(SPARK, store).runSummaries().size());

    // The transient failure was retried: once the link points at an image, the path gets its
    // vector.
    Files.delete(broken);
    Files.copy(images.resolve("circles/circles_000.jpg"), images.resolve("circles/gone.jpg"));
    Files.createSymbolicLink(
        images.resolve("circles/link.jpg"), images.resolve("circles/gone.jpg"));
    RunSummary healed = extract(images, store, "--auto-compact-percent", "0");
    assertEquals(
        2, healed.featureRows(), "link.jpg and gone.jpg, both reusing circles_000's stored vector");
    assertEquals(0, healed.computed());
    assertEquals(
        0, FeatureStore.open(SPARK, store).errors().filter("path = 'circles/link.jpg'").count());
  }

  @Test
  void aChangedFileHasOneCurrentRowWhichTheReadmeQueriesFind() throws Exception {
    Path images = nineFiles();
    String store = dir.resolve("store").toString();
    ReadmeQueries readme = new ReadmeQueries();
    extract(images, store);

    Path changed = images.resolve("circles/circles_000.jpg");
    Files.copy(
        images.resolve("squares/squares_000.jpg"), changed, StandardCopyOption.REPLACE_EXISTING);
    RunSummary second = extract(images, store, "--auto-compact-percent", "0");
    assertEquals(1, second.featureRows());
    assertEquals(0, second.computed(), "its new bytes are squares_000's, already stored");

    assertEquals(
        8, readme.duckdb(FEATURES, store, "path").size(), "plain Parquet holds the history");
    List<String> current =
        FeatureStore.open(SPARK, store)
            .features()
            .select("path", "image_id", "run")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2))
            .sorted()
            .toList();
    assertEquals(7, current.size());
    assertTrue(
        current.contains(
            "circles/circles_000.jpg|"
                + dev.tltf.common.io.Sha256.hex(Files.readAllBytes(changed))
                + "|"
                + second.runId()),
        current.toString());
    assertEquals(current, readme.duckdb(CURRENT_DUCKDB, store, "path", "image_id", "run"));
    assertEquals(current, readme.sparkSql(SPARK, CURRENT_SPARK, store, "path", "image_id", "run"));

    // Changed again: 2 of 11 stored rows (18 %) are superseded, past a 10 % threshold, so the run
    // compacts.
    Files.copy(
        images.resolve("squares/squares_001.png"), changed, StandardCopyOption.REPLACE_EXISTING);
    extract(images, store, "--auto-compact-percent", "10");
    FeatureStore compacted = FeatureStore.open(SPARK, store);
    assertEquals(1, compacted.committedRuns().size(), compacted.committedRuns().toString());
    assertEquals(
        7, readme.duckdb(FEATURES, store, "path").size(), "history gone for plain readers too");
    assertEquals(2, readme.duckdb(ERRORS, store, "path").size());
    assertEquals(
        readme.duckdb(CURRENT_DUCKDB, store, "path", "image_id"),
        readme.duckdb(FEATURES, store, "path", "image_id"));
  }
}
