package dev.tltf.features.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.listing.ImageListing;
import dev.tltf.features.listing.ListedFile;
import dev.tltf.features.vectors.ProgressReporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-runs, growth, inputs other than a directory tree, and compaction. */
class IncrementalRunsTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  private RunSummary extract(String images, String store, String... extra) {
    StringWriter err = new StringWriter();
    String[] args =
        Stream.concat(
                Stream.of(
                    "--images",
                    images,
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
  void anAddedImageCostsExactlyOneForwardPassAndCompactionKeepsTheCurrentView() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 2, 31, 40, 70);
    String store = dir.resolve("store").toString();
    assertEquals(8, extract(images.toString(), store).computed());

    Files.copy(images.resolve("squares/squares_000.jpg"), images.resolve("squares/renamed.jpg"));
    SyntheticImages.write(dir.resolve("more"), 3, 32, 40, 70);
    Files.copy(dir.resolve("more/circles/circles_002.jpg"), images.resolve("circles/new.jpg"));
    RunSummary grown = extract(images.toString(), store);
    assertEquals(10, grown.listed());
    assertEquals(8, grown.alreadyStored());
    assertEquals(
        1, grown.computed(), "the new image only; the renamed copy reuses its stored vector");
    assertEquals(2, grown.featureRows());

    FeatureStore before = FeatureStore.open(SPARK, store);
    assertEquals(2, before.committedRuns().size());
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        JobMain.run(
            new CompactStoreCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            "--store",
            store),
        err.toString());
    FeatureStore after = FeatureStore.open(SPARK, store);
    assertEquals(1, after.committedRuns().size());
    assertEquals(10, after.features().count());
    assertEquals(
        10,
        SPARK.read().parquet(store + "/features").count(),
        "old runs are gone for plain readers too");
    assertEquals(0, extract(images.toString(), store).computed());
  }

  @Test
  void globsManifestsLimitsAndNonRecursiveListings() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 2, 33, 40, 70);
    Files.copy(images.resolve("circles/circles_000.jpg"), images.resolve("top.jpg"));
    Configuration conf = new Configuration();
    Set<String> jpg = Set.of("jpg", "png");

    List<ListedFile> glob =
        ImageListing.list(new ImageListing.Request(images + "/*/*_001.png", jpg, true, 0), conf);
    assertEquals(
        List.of(
            "circles/circles_001.png",
            "squares/squares_001.png",
            "stripes/stripes_001.png",
            "triangles/triangles_001.png"),
        glob.stream().map(ListedFile::path).toList());

    List<ListedFile> flat =
        ImageListing.list(new ImageListing.Request(images.toString(), jpg, false, 0), conf);
    assertEquals(List.of("top.jpg"), flat.stream().map(ListedFile::path).toList());

    List<ListedFile> limited =
        ImageListing.list(new ImageListing.Request(images.toString(), jpg, true, 3), conf);
    assertEquals(
        List.of("circles/circles_000.jpg", "circles/circles_001.png", "squares/squares_000.jpg"),
        limited.stream().map(ListedFile::path).toList());

    Path manifest =
        Files.writeString(
            dir.resolve("list.txt"),
            String.join(
                "\n",
                "# two images and a missing one",
                "images/circles/circles_000.jpg",
                "",
                images.resolve("stripes/stripes_001.png").toString(),
                "images/circles/gone.jpg",
                "images/circles/circles_000.jpg"));
    String store = dir.resolve("store").toString();
    RunSummary run = extract(manifest.toString(), store);
    assertEquals(3, run.listed());
    assertEquals(2, run.featureRows());
    assertEquals(1, run.errorRows());
    assertEquals(
        "The file does not exist (it is listed in the manifest).",
        FeatureStore.open(SPARK, store).errors().first().getString(2));
    assertTrue(
        FeatureStore.open(SPARK, store)
                .features()
                .filter("path = 'images/circles/circles_000.jpg'")
                .count()
            == 1);
  }

  @Test
  void progressLinesSayDoneTotalRateAndTimeLeft() {
    assertEquals(
        "progress: 120 / 1,000 images (12.0 %), 3.00 images/s, about 4m 54s left",
        ProgressReporter.describe(120, 1000, 40));
    assertEquals("2h 05m", ProgressReporter.duration(7500));
  }
}
