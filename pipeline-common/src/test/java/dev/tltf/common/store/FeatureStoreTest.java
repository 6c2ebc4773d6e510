package dev.tltf.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreTest {
  private static final BackboneFingerprint RANDOM_1 = StoreFixtures.fingerprint("random:1", 4);
  private final SparkSession spark = SharedSpark.session();

  @TempDir Path dir;

  @Test
  void fingerprintSurvivesJsonAndItsIdIsStable() {
    BackboneFingerprint copy = BackboneFingerprint.fromJson(RANDOM_1.toJson());
    assertEquals(RANDOM_1, copy);
    assertEquals(RANDOM_1.id(), copy.id());
    assertEquals(16, RANDOM_1.id().length());
    assertTrue(!RANDOM_1.id().equals(StoreFixtures.fingerprint("random:2", 4).id()));
  }

  @Test
  void committedRunsAreReadableAsPlainParquetAndThroughTheReader() throws Exception {
    String store = dir.resolve("store").toString();
    List<StoreFixtures.Vector> vectors = StoreFixtures.blobs(List.of("a", "b"), 3, 4, 0.1, 1);
    StoreFixtures.write(spark, store, RANDOM_1, vectors);

    FeatureStore opened = FeatureStore.open(spark, store);
    assertEquals(RANDOM_1, opened.fingerprint());
    assertEquals(1, opened.committedRuns().size());
    assertEquals(6, opened.features().count());
    assertEquals(0, opened.errors().count());
    // No tltf code needed to read the data: plain Spark SQL over the features/ directory.
    List<Row> plain =
        spark
            .read()
            .parquet(store + "/features")
            .select("image_id", "path", "features", "run")
            .collectAsList();
    assertEquals(6, plain.size());
    assertEquals(4, plain.get(0).getList(2).size());
    assertEquals(opened.committedRuns().get(0), plain.get(0).getString(3));
  }

  @Test
  void stagedButUncommittedRunsAreInvisible() throws Exception {
    String store = dir.resolve("store").toString();
    StoreFixtures.write(spark, store, RANDOM_1, StoreFixtures.blobs(List.of("a"), 2, 4, 0.1, 1));
    try (FeatureStoreWriter writer =
        FeatureStoreWriter.openOrCreate(
            store, RANDOM_1, spark.sparkContext().hadoopConfiguration())) {
      String runId = FeatureStoreWriter.newRunId();
      spark
          .read()
          .parquet(store + "/features")
          .drop("run")
          .write()
          .parquet(writer.stagingFeatures(runId).toString());
    }
    assertEquals(2, FeatureStore.open(spark, store).features().count());
    assertEquals(2, spark.read().parquet(store + "/features").count());
  }

  @Test
  void refusesToMixBackbones() throws Exception {
    String store = dir.resolve("store").toString();
    StoreFixtures.write(spark, store, RANDOM_1, StoreFixtures.blobs(List.of("a"), 2, 4, 0.1, 1));
    BackboneFingerprint other = StoreFixtures.fingerprint("random:2", 4);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                FeatureStoreWriter.openOrCreate(
                    store, other, spark.sparkContext().hadoopConfiguration()));
    assertTrue(
        e.getMessage().contains("weights random:1") && e.getMessage().contains("weights random:2"),
        e.getMessage());
    InvalidInputException read =
        assertThrows(
            InvalidInputException.class,
            () -> FeatureStore.open(spark, store).requireFingerprint(other, "head h"));
    assertTrue(
        read.getMessage().startsWith("Cannot use feature store " + store + " with head h"),
        read.getMessage());
  }

  @Test
  void refusesWhatIsNotAStore() throws Exception {
    Path notAStore = Files.createDirectories(dir.resolve("photos"));
    Files.writeString(notAStore.resolve("x.txt"), "hello");
    assertEquals(
        "Cannot read feature store "
            + notAStore
            + ": it has no _tltf/store.json, so it was not written by "
            + "tltf extract-features.",
        assertThrows(
                InvalidInputException.class, () -> FeatureStore.open(spark, notAStore.toString()))
            .getMessage());
    assertEquals(
        "Cannot write feature store to "
            + notAStore
            + ": it exists and is not a tltf feature store.",
        assertThrows(
                InvalidInputException.class,
                () ->
                    FeatureStoreWriter.openOrCreate(
                        notAStore.toString(), RANDOM_1, spark.sparkContext().hadoopConfiguration()))
            .getMessage());
    assertEquals(
        "Cannot read feature store " + dir.resolve("nothing") + ": it does not exist.",
        assertThrows(
                InvalidInputException.class,
                () -> FeatureStore.open(spark, dir.resolve("nothing").toString()))
            .getMessage());
  }
}
