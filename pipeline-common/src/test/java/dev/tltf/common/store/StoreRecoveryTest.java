package dev.tltf.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A writer killed after each step of its commit, then a new writer: plain readers and {@link
 * FeatureStore} never see a partial run, and after recovery every input is in the store exactly
 * once.
 */
class StoreRecoveryTest {
  private static final BackboneFingerprint FINGERPRINT = StoreFixtures.fingerprint("random:1", 4);
  private final SparkSession spark = SharedSpark.session();
  private final Configuration conf = spark.sparkContext().hadoopConfiguration();

  @TempDir Path dir;

  private static final class Killed extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Stages two feature rows and one error row for {@code paths}, then commits, dying after {@code
   * killAt} (its lease released, as a dead writer's is broken: the lease is {@link
   * StoreLeaseTest}'s subject, recovery this one's).
   */
  private String runOnce(String store, List<String> paths, FeatureStoreWriter.Step killAt)
      throws IOException {
    try (FeatureStoreWriter writer = FeatureStoreWriter.openOrCreate(store, FINGERPRINT, conf)) {
      return runOnce(writer, paths, killAt);
    }
  }

  private String runOnce(
      FeatureStoreWriter writer, List<String> paths, FeatureStoreWriter.Step killAt)
      throws IOException {
    String runId = FeatureStoreWriter.newRunId();
    List<Row> features = new ArrayList<>();
    for (String path : paths.subList(0, paths.size() - 1)) {
      features.add(
          RowFactory.create("id-" + path, path, new float[] {1, 2, 3, 4}, 1, 1, FINGERPRINT.id()));
    }
    spark
        .createDataFrame(features, FeatureStoreSchema.FEATURE_ROWS)
        .write()
        .parquet(writer.stagingFeatures(runId).toString());
    spark
        .createDataFrame(
            List.of(
                RowFactory.create(paths.get(paths.size() - 1), null, "broken", "corrupt_image")),
            FeatureStoreSchema.ERROR_ROWS)
        .write()
        .parquet(writer.stagingErrors(runId).toString());
    if (killAt != null) {
      writer.onStep(
          step -> {
            if (step == killAt) {
              throw new Killed();
            }
          });
    }
    String now = Instant.now().toString();
    writer.commit(
        new RunSummary(
            runId, "test", now, now, paths.size(), 0, paths.size() - 1, paths.size() - 1, 1, 0, 0));
    return runId;
  }

  private long plainFeatureRows(String store) {
    return Files.exists(Path.of(store, "features"))
        ? spark.read().parquet(store + "/features").count()
        : 0;
  }

  @ParameterizedTest
  @EnumSource(FeatureStoreWriter.Step.class)
  void aWriterKilledDuringItsCommitLeavesNoPartialOrDuplicateRows(FeatureStoreWriter.Step killAt)
      throws Exception {
    String store = dir.resolve("store").toString();
    List<String> paths = List.of("a/1.jpg", "a/2.jpg", "b/3.jpg");
    assertThrows(Killed.class, () -> runOnce(store, paths, killAt));

    long visible = FeatureStore.open(spark, store).features().count();
    assertTrue(visible == 0 || visible == 2, "a run is seen whole or not at all: " + visible);

    FeatureStoreWriter.openOrCreate(store, FINGERPRINT, conf).close(); // the next writer recovers
    FeatureStore recovered = FeatureStore.open(spark, store);
    long after = recovered.features().count();
    if (after == 0) {
      runOnce(store, paths, null); // the re-run does the work again
    }
    FeatureStore done = FeatureStore.open(spark, store);
    assertEquals(2, done.features().count());
    assertEquals(1, done.errors().count());
    assertEquals(2, plainFeatureRows(store), "plain Parquet readers see each row once");
    assertEquals(1, spark.read().parquet(store + "/errors").count());
    assertTrue(
        Files.notExists(Path.of(store, "_tltf/staging"))
            || isEmpty(Path.of(store, "_tltf/staging")));
  }

  @Test
  void stagedRunsOfAKilledWriterAreRemoved() throws Exception {
    String store = dir.resolve("store").toString();
    String runId = FeatureStoreWriter.newRunId();
    try (FeatureStoreWriter writer = FeatureStoreWriter.openOrCreate(store, FINGERPRINT, conf)) {
      spark
          .createDataFrame(
              List.of(RowFactory.create("x", "p", new float[] {1, 2, 3, 4}, 1, 1, "f")),
              FeatureStoreSchema.FEATURE_ROWS)
          .write()
          .parquet(writer.stagingFeatures(runId).toString());
    }
    FeatureStoreWriter.openOrCreate(store, FINGERPRINT, conf).close();
    assertTrue(Files.notExists(Path.of(store, "_tltf/staging", runId)));
    assertEquals(0, FeatureStore.open(spark, store).features().count());
  }

  @Test
  void theLatestRunOfAPathWins() throws Exception {
    String store = dir.resolve("store").toString();
    runOnce(store, List.of("a/1.jpg", "a/2.jpg", "b/3.jpg"), null); // b/3.jpg fails
    runOnce(store, List.of("b/3.jpg", "a/1.jpg"), null); // now b/3.jpg succeeds, a/1.jpg fails
    FeatureStore current = FeatureStore.open(spark, store);
    assertEquals(
        List.of("a/2.jpg", "b/3.jpg"),
        current.features().select("path").orderBy("path").collectAsList().stream()
            .map(r -> r.getString(0))
            .toList());
    assertEquals(
        List.of("a/1.jpg"),
        current.errors().select("path").collectAsList().stream().map(r -> r.getString(0)).toList());
    assertEquals(3, current.allFeatureRows().count(), "history stays until compaction");
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (var entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }
}
