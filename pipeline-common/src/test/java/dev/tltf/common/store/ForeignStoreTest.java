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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores from another tool, another version or with damaged data are refused with a precise
 * sentence.
 */
class ForeignStoreTest {
  private final SparkSession spark = SharedSpark.session();

  @TempDir Path dir;

  @Test
  void aNewerFormatVersionIsRefused() throws Exception {
    String store = dir.resolve("store").toString();
    StoreFixtures.write(
        spark,
        store,
        StoreFixtures.fingerprint("random:1", 4),
        StoreFixtures.blobs(List.of("a"), 2, 4, 0.1, 1));
    Path manifest = dir.resolve("store/_tltf/store.json");
    Files.writeString(
        manifest,
        Files.readString(manifest).replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
    assertEquals(
        "Cannot read feature store "
            + store
            + ": it has format version 7, and this tltf reads versions up "
            + "to 1.",
        assertThrows(InvalidInputException.class, () -> FeatureStore.open(spark, store))
            .getMessage());
    Files.writeString(manifest, "{ not json");
    assertTrue(
        assertThrows(InvalidInputException.class, () -> FeatureStore.open(spark, store))
            .getMessage()
            .startsWith("Cannot read feature store " + store + ": _tltf/store.json is damaged"));
  }

  @Test
  void vectorsOfTheWrongTypeOrLengthAreRefused() throws Exception {
    String store = dir.resolve("doubles").toString();
    StoreFixtures.write(
        spark,
        store,
        StoreFixtures.fingerprint("random:1", 4),
        StoreFixtures.blobs(List.of("a"), 2, 4, 0.1, 1));
    String run = FeatureStore.open(spark, store).committedRuns().get(0);
    Path partition = dir.resolve("doubles/features/run=" + run);
    org.apache.commons.io.FileUtils.deleteDirectory(partition.toFile());
    StructType doubles =
        new StructType()
            .add("image_id", DataTypes.StringType)
            .add("path", DataTypes.StringType)
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType));
    spark
        .createDataFrame(
            List.of(RowFactory.create("ab", "a/1.jpg", new double[] {1, 2, 3, 4})), doubles)
        .write()
        .parquet(partition.toString());
    assertEquals(
        "Cannot read feature store "
            + store
            + ": column 'features' is array<double>, expected array<float>.",
        assertThrows(InvalidInputException.class, () -> FeatureStore.open(spark, store).features())
            .getMessage());

    String shortStore = dir.resolve("short").toString();
    StoreFixtures.write(
        spark,
        shortStore,
        StoreFixtures.fingerprint("random:1", 4),
        List.of(new StoreFixtures.Vector("a/1.jpg", "ab", new float[] {1, 2, 3})));
    FeatureStore opened = FeatureStore.open(spark, shortStore);
    assertEquals(
        "Cannot read feature store "
            + shortStore
            + ": the vector of a/1.jpg has 3 values, but its backbone "
            + "gives 4.",
        assertThrows(
                InvalidInputException.class,
                () -> {
                  Row row = opened.features().first();
                  opened.toVector(
                      row.getList(row.fieldIndex(FeatureStoreSchema.FEATURES)),
                      opened.fingerprint().dimension(),
                      row.getString(row.fieldIndex(FeatureStoreSchema.PATH)));
                })
            .getMessage());
  }

  @Test
  void parquetWrittenByAnotherToolIsNotAStore() {
    String other = dir.resolve("other").toString();
    spark.range(3).write().parquet(other);
    assertEquals(
        "Cannot read feature store "
            + other
            + ": it has no _tltf/store.json, so it was not written by tltf "
            + "extract-features.",
        assertThrows(InvalidInputException.class, () -> FeatureStore.open(spark, other))
            .getMessage());
  }
}
