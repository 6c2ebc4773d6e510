package dev.tltf.features.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreWriter;
import dev.tltf.common.store.StoreLease;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.image.ResizeMethod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two writers on one local store: never both at once, whichever command they run. */
class ConcurrentWritersTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  private record Result(int status, String err) {}

  private static Result run(Object command, String... args) {
    StringWriter err = new StringWriter();
    int status = JobMain.run(command, ConfDefaults.load(null), new PrintWriter(err, true), args);
    return new Result(status, err.toString().strip());
  }

  private Result extract(Path images, String store, String... extra) {
    return run(
        new ExtractFeaturesCommand(),
        Stream.concat(
                Stream.of(
                    "--images",
                    images.toString(),
                    "--out",
                    store,
                    "--random-weights",
                    "3",
                    "--image-size",
                    "75",
                    "--progress-seconds",
                    "0"),
                Stream.of(extra))
            .toArray(String[]::new));
  }

  @Test
  void twoRunsStartedTogetherNeverBothWriteAndReadersSeeEachFileOnce() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 2, 71, 40, 70);
    String store = dir.resolve("store").toString();
    CompletableFuture<Result> a = CompletableFuture.supplyAsync(() -> extract(images, store));
    CompletableFuture<Result> b = CompletableFuture.supplyAsync(() -> extract(images, store));
    for (Result result : List.of(a.get(5, TimeUnit.MINUTES), b.get(5, TimeUnit.MINUTES))) {
      assertTrue(
          result.status() == 0
              || (result.status() == 1 && result.err().contains("holds its lease")),
          result.toString());
    }
    assertEquals(
        8, SPARK.read().parquet(store + "/features").count(), "8 files, 8 rows, whoever won");
    assertEquals(8, SPARK.read().parquet(store + "/features").select("path").distinct().count());
  }

  @Test
  void whileAWriterHoldsTheStoreExtractionOverwriteAndCompactionAreRefusedNamingIt()
      throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 1, 72, 40, 70);
    String store = dir.resolve("store").toString();
    assertEquals(0, extract(images, store).status());
    FeatureStoreWriter holder =
        FeatureStoreWriter.openOrCreate(
            store,
            new BackboneSpec(new WeightsSource.Random(3), 75, ResizeMethod.BILINEAR).fingerprint(),
            SPARK.sparkContext().hadoopConfiguration(),
            new StoreLease.Settings(Duration.ZERO, Duration.ofMinutes(2)),
            "run-holder",
            "test");
    try {
      for (Result refused :
          List.of(
              extract(images, store),
              extract(images, store, "--overwrite"),
              run(new CompactStoreCommand(), "--store", store))) {
        assertEquals(JobMain.EXIT_FAILED, refused.status(), refused.err());
        assertTrue(
            refused
                .err()
                .contains(
                    ": Cannot write feature store " + store + ": run run-holder (test, host "),
            refused.err());
        assertTrue(refused.err().endsWith("A retry may succeed."), refused.err());
      }
    } finally {
      holder.close();
    }
    assertEquals(
        1, FeatureStore.open(SPARK, store).committedRuns().size(), "nothing was added or replaced");
    assertEquals(0, extract(images, store, "--overwrite").status(), "free again");
  }
}
