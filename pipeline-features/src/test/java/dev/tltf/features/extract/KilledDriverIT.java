package dev.tltf.features.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.demo.SyntheticImages;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/extract-features killed with SIGKILL while its tasks are writing, then run again: readers
 * never see part of the killed run, the re-run breaks the dead driver's lease once it is stale, and
 * leaves exactly one row per input.
 */
class KilledDriverIT {
  private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path dir;

  private ProcessBuilder extract(Path images, Path store, Path log, String... extra) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                PROJECT.resolve("bin/extract-features").toString(),
                "--master",
                "local[2]",
                "--images",
                images.toString(),
                "--out",
                store.toString(),
                "--random-weights",
                "2",
                "--image-size",
                "75",
                "--batch-size",
                "2",
                "--partitions",
                "12",
                "--progress-seconds",
                "0"));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command)
        .directory(PROJECT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
  }

  private static boolean writing(Path store) {
    Path staging = store.resolve("_tltf/staging");
    if (!Files.isDirectory(staging)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(staging)) {
      return files.anyMatch(
          p -> p.toString().contains("_temporary") && p.toString().endsWith(".parquet"));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  @Test
  void aKilledRunIsInvisibleAndTheRerunFinishesTheWork() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 6, 51, 40, 80);
    Files.writeString(images.resolve("squares/broken.png"), "x");
    Path store = dir.resolve("store");

    Process killed = extract(images, store, dir.resolve("killed.log")).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!writing(store) && killed.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(
        killed.isAlive(),
        "the run ended before it could be killed:\n"
            + Files.readString(dir.resolve("killed.log"), StandardCharsets.UTF_8));
    killed.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    killed.destroyForcibly();
    assertTrue(killed.waitFor(1, TimeUnit.MINUTES));

    SparkSession spark = SharedSpark.session();
    long visible =
        Files.exists(store.resolve("features"))
            ? spark.read().parquet(store + "/features").count()
            : 0;
    assertEquals(0, visible, "nothing of the killed run is visible");

    // The killed driver's lease stays behind; the rerun waits until its heartbeat is 5 s old,
    // breaks it, recovers.
    Process rerun =
        extract(
                images,
                store,
                dir.resolve("rerun.log"),
                "--lease-timeout-seconds",
                "5",
                "--wait-for-lock",
                "300")
            .start();
    assertTrue(rerun.waitFor(10, TimeUnit.MINUTES));
    String rerunLog = Files.readString(dir.resolve("rerun.log"));
    assertEquals(0, rerun.exitValue(), rerunLog);
    assertTrue(rerunLog.contains("Breaking the lease of feature store"), rerunLog);

    FeatureStore done = FeatureStore.open(spark, store.toString());
    assertEquals(24, done.features().count());
    assertEquals(1, done.errors().count());
    assertEquals(
        24,
        spark.read().parquet(store + "/features").count(),
        "each input once, for plain readers too");
    assertEquals(24, spark.read().parquet(store + "/features").select("path").distinct().count());
    assertEquals(
        List.of(),
        List.of(
            new File(store.toFile(), "_tltf/staging").list() == null
                ? new String[0]
                : new File(store.toFile(), "_tltf/staging").list()));
  }
}
