package dev.tltf.features.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.common.store.RunCosts;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.demo.SyntheticImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-run opens only the files that are new or whose size or modification time changed; --rehash
 * opens all; a store written before sizes and modification times were recorded is read, its files
 * hashed once, and then not again.
 */
class ReadOnlyWhatChangedTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  /**
   * 8 images, an empty .jpg and an HTML page named .jpg: 10 files, 8 feature rows and 2 error rows.
   */
  private Path tenFiles() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 2, 71, 40, 70);
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
                    "0",
                    "--auto-compact-percent",
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

  private static long bytesOf(Path... files) throws Exception {
    long bytes = 0;
    for (Path file : files) {
      bytes += Files.size(file);
    }
    return bytes;
  }

  @Test
  void aReRunOpensOnlyNewAndChangedFiles() throws Exception {
    Path images = tenFiles();
    String store = dir.resolve("store").toString();

    RunSummary first = extract(images, store);
    assertEquals(10, first.costs().filesOpened(), "the empty file is opened too");
    assertEquals(8, first.computed());

    RunSummary unchanged = extract(images, store);
    assertEquals(
        0, unchanged.costs().filesOpened(), "neither the images nor the two failed files are read");
    assertEquals(0, unchanged.costs().bytesRead());
    assertEquals(10, unchanged.alreadyStored());
    assertEquals(0, unchanged.featureRows() + unchanged.errorRows());

    Path added = images.resolve("circles/added.png");
    Path changed = images.resolve("squares/squares_000.jpg");
    Path touched = images.resolve("triangles/triangles_001.png");
    Files.copy(images.resolve("stripes/stripes_000.jpg"), added);
    Files.copy(
        images.resolve("circles/circles_001.png"),
        changed,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    FileTime later = FileTime.fromMillis(Files.getLastModifiedTime(touched).toMillis() + 60_000);
    Files.setLastModifiedTime(changed, later);
    Files.setLastModifiedTime(touched, later);
    RunSummary grown = extract(images, store);
    assertEquals(3, grown.costs().filesOpened(), "the added, the changed and the touched file");
    assertEquals(bytesOf(added, changed, touched), grown.costs().bytesRead());
    assertEquals(0, grown.computed(), "all three hold bytes the store already has vectors of");
    assertEquals(
        3, grown.featureRows(), "the touched file's row records its new modification time");
    assertEquals(0, extract(images, store).costs().filesOpened());

    // Rewritten in place with the same size and modification time: only --rehash sees it.
    Path sneaky = images.resolve("circles/circles_000.jpg");
    String before = currentId(store, "circles/circles_000.jpg");
    FileTime kept = Files.getLastModifiedTime(sneaky);
    byte[] bytes = Files.readAllBytes(sneaky);
    bytes[bytes.length - 3] ^= 0x55;
    Files.write(sneaky, bytes);
    Files.setLastModifiedTime(sneaky, kept);
    assertEquals(0, extract(images, store).costs().filesOpened());
    RunSummary rehashed = extract(images, store, "--rehash");
    assertEquals(11, rehashed.costs().filesOpened());
    assertEquals(bytesOf(regularFiles(images)), rehashed.costs().bytesRead());
    assertEquals(
        1, rehashed.featureRows() + rehashed.errorRows(), "the rewritten image, found by hashing");
    assertFalse(before.equals(currentId(store, "circles/circles_000.jpg")));
    assertEquals(0, extract(images, store).costs().filesOpened());
  }

  @Test
  void anUnchangedReRunStartsNoJobOverTheImagesAndAChangeRunsOnlyItsFile() throws Exception {
    Path images = tenFiles();
    String store = dir.resolve("store").toString();
    try (SparkJobs jobs = SparkJobs.watch(SPARK)) {
      extract(images, store);
      assertTrue(jobs.described(FeatureExtraction.IMAGE_JOBS) > 0, jobs.started().toString());
    }

    try (SparkJobs jobs = SparkJobs.watch(SPARK)) {
      RunSummary unchanged = extract(images, store);
      assertEquals(0, unchanged.costs().filesOpened());
      assertEquals(0, unchanged.costs().bytesRead());
      assertEquals(10, unchanged.alreadyStored());
      assertEquals(
          List.of(),
          jobs.started(),
          "no Spark job at all: the driver read the store's rows and listed the tree");
    }

    Path added = images.resolve("circles/added.png");
    SyntheticImages.write(dir.resolve("more"), 1, 73, 40, 70);
    Files.copy(dir.resolve("more/circles/circles_000.jpg"), added);
    try (SparkJobs jobs = SparkJobs.watch(SPARK)) {
      RunSummary grown = extract(images, store);
      assertEquals(1, grown.costs().filesOpened(), "the added file only");
      assertEquals(bytesOf(added), grown.costs().bytesRead());
      assertEquals(1, grown.computed());
      assertEquals(10, grown.alreadyStored());
      assertTrue(jobs.described(FeatureExtraction.IMAGE_JOBS) > 0, jobs.started().toString());
    }
  }

  @Test
  void aStoreWithoutFileColumnsIsReadAndItsFilesHashedOnce() throws Exception {
    Path images = tenFiles();
    String store = dir.resolve("old").toString();
    extract(images, store);
    stripFileColumns(Path.of(store, "features"));
    stripFileColumns(Path.of(store, "errors"));
    assertFalse(
        Arrays.asList(SPARK.read().parquet(store + "/features").schema().fieldNames())
            .contains(FeatureStoreSchema.FILE_SIZE),
        "the store now looks like one written before the file columns");

    RunSummary upgrade = extract(images, store);
    assertEquals(
        10, upgrade.costs().filesOpened(), "unknown sizes and times: every file is hashed");
    assertEquals(0, upgrade.computed());
    assertEquals(
        10, upgrade.featureRows() + upgrade.errorRows(), "each row again, with its size and time");
    FeatureStore upgraded = FeatureStore.open(SPARK, store);
    assertEquals(8, upgraded.features().count());
    assertEquals(
        0,
        upgraded
            .currentRows()
            .filter(org.apache.spark.sql.functions.col(FeatureStoreSchema.MODIFIED_MS).isNull())
            .count());

    RunSummary after = extract(images, store);
    assertEquals(0, after.costs().filesOpened());
    assertEquals(0, after.featureRows() + after.errorRows());
  }

  @Test
  void theSummaryOnTheCommandLineSaysWhereTheTimeWent() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 1, 72, 40, 70);
    String store = dir.resolve("store").toString();
    RunSummary summary = extract(images, store);
    RunCosts costs = summary.costs();
    assertNotNull(costs);
    // Provenance: the flags given on the command line apart from the defaults, and the versions
    // that ran.
    assertEquals(
        "75", summary.provenance().given().get("image-size"), summary.provenance().toString());
    assertTrue(
        summary.provenance().defaulted().containsKey("batch-size"),
        summary.provenance().toString());
    assertTrue(
        summary.provenance().versions().get("nd4j").startsWith("1.0.0"),
        summary.provenance().toString());
    assertEquals(4, costs.filesOpened());
    assertTrue(
        costs.listingSeconds() >= 0
            && costs.hashingSeconds() > 0
            && costs.computingSeconds() > 0
            && costs.committingSeconds() > 0
            && costs.startupSeconds() > 0,
        costs.toString());
    String marker = Files.readString(regularFiles(Path.of(store, "_tltf", "runs"))[0]);
    assertTrue(marker.contains("\"filesOpened\" : 4"), marker);
    assertTrue(marker.contains("\"committingSeconds\""), marker);
    assertTrue(marker.contains("\"startupSeconds\""), marker);
  }

  private static String currentId(String store, String path) {
    return FeatureStore.open(SPARK, store)
        .currentRows()
        .filter(org.apache.spark.sql.functions.col(FeatureStoreSchema.PATH).equalTo(path))
        .first()
        .getAs(FeatureStoreSchema.IMAGE_ID);
  }

  /**
   * Rewrites every partition of a table without file_size and modified_ms, as tltf wrote stores
   * before them.
   */
  private static void stripFileColumns(Path table) throws Exception {
    try (Stream<Path> partitions = Files.list(table)) {
      for (Path partition :
          partitions.filter(p -> p.getFileName().toString().startsWith("run=")).toList()) {
        Path copy = partition.resolveSibling(".old-" + partition.getFileName());
        SPARK
            .read()
            .parquet(partition.toString())
            .drop(FeatureStoreSchema.FILE_SIZE, FeatureStoreSchema.MODIFIED_MS)
            .write()
            .parquet(copy.toString());
        FileUtils.deleteDirectory(partition.toFile());
        Files.move(copy, partition);
      }
    }
  }

  private static Path[] regularFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).sorted().toArray(Path[]::new);
    }
  }
}
