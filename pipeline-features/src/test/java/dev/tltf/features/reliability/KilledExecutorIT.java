package dev.tltf.features.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.demo.SyntheticImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor JVM killed (SIGKILL) while the feature job runs on {@code local-cluster[2,1,1024]}:
 * Spark re-runs its tasks elsewhere, and the store ends with exactly one row per input and the same
 * vectors as an undisturbed run.
 */
class KilledExecutorIT {
  private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path dir;

  private Process extract(Path images, Path store, Path log, String master) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                PROJECT.resolve("bin/extract-features").toString(),
                "--master",
                master,
                "--conf",
                "spark.executor.memory=1g",
                "--images",
                images.toString(),
                "--out",
                store.toString(),
                "--random-weights",
                "8",
                "--image-size",
                "75",
                "--batch-size",
                "2",
                "--partitions",
                "16",
                "--progress-seconds",
                "0")
            .directory(PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().remove("SPARK_HOME");
    return builder.start();
  }

  private static Optional<ProcessHandle> executorOf(Process driver) {
    return driver
        .toHandle()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .findFirst();
  }

  @Test
  void aKilledExecutorCostsNoRowAndNoDuplicate() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 8, 61, 40, 80);

    Process run =
        extract(images, dir.resolve("store"), dir.resolve("run.log"), "local-cluster[2,1,1024]");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    Optional<ProcessHandle> victim = Optional.empty();
    while (run.isAlive() && System.nanoTime() < deadline && victim.isEmpty()) {
      String log =
          Files.exists(dir.resolve("run.log")) ? Files.readString(dir.resolve("run.log")) : "";
      if (log.contains(
          "distinct new images to compute")) { // the forward pass is starting on the executors
        Thread.sleep(3000);
        victim = executorOf(run);
      }
      Thread.sleep(100);
    }
    assertTrue(
        victim.isPresent(), "no executor to kill:\n" + Files.readString(dir.resolve("run.log")));
    victim.get().destroyForcibly();
    assertTrue(run.waitFor(10, TimeUnit.MINUTES));
    String log = Files.readString(dir.resolve("run.log"), StandardCharsets.UTF_8);
    assertEquals(0, run.exitValue(), log);
    assertTrue(log.contains("Lost executor"), "the executor died while the job ran:\n" + log);

    Process reference =
        extract(images, dir.resolve("reference"), dir.resolve("reference.log"), "local[2]");
    assertTrue(reference.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, reference.exitValue(), Files.readString(dir.resolve("reference.log")));

    SparkSession spark = SharedSpark.session();
    List<Row> rows = spark.read().parquet(dir.resolve("store/features").toString()).collectAsList();
    assertEquals(32, rows.size(), "one row per input, no duplicates");
    assertEquals(32, FeatureStore.open(spark, dir.resolve("store").toString()).features().count());
    Map<String, List<Float>> expected = new HashMap<>();
    for (Row row :
        spark.read().parquet(dir.resolve("reference/features").toString()).collectAsList()) {
      expected.put(row.getString(row.fieldIndex("path")), row.getList(row.fieldIndex("features")));
    }
    for (Row row : rows) {
      List<Float> want = expected.get(row.getString(row.fieldIndex("path")));
      List<Float> got = row.getList(row.fieldIndex("features"));
      for (int i = 0; i < want.size(); i++) {
        assertEquals(want.get(i), got.get(i), 1e-4f * Math.max(1f, Math.abs(want.get(i))));
      }
    }
  }
}
