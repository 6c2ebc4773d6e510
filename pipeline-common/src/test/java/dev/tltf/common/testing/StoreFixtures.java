package dev.tltf.common.testing;

import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.common.store.FeatureStoreWriter;
import dev.tltf.common.store.RunSummary;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Feature stores written without a backbone: synthetic vectors committed through the real writer.
 */
public final class StoreFixtures {
  private StoreFixtures() {}

  public static BackboneFingerprint fingerprint(String weights, int dimension) {
    return new BackboneFingerprint(
        "InceptionV3", "avg_pool", dimension, weights, 299, "bilinear", "tf");
  }

  /** A labelled vector: {@code label/…} path, content id, vector. */
  public record Vector(String path, String imageId, float[] values) {}

  /**
   * Gaussian blobs: {@code perClass} vectors around a random centre per class, {@code spread}
   * apart; separable when spread is small. Image ids are random hex (so the split is random but
   * reproducible).
   */
  public static List<Vector> blobs(
      List<String> labels, int perClass, int dimension, double spread, long seed) {
    Random random = new Random(seed);
    List<Vector> vectors = new ArrayList<>();
    for (String label : labels) {
      float[] centre = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        centre[d] = (float) Math.abs(random.nextGaussian());
      }
      for (int i = 0; i < perClass; i++) {
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
          v[d] = (float) Math.max(0, centre[d] + spread * random.nextGaussian());
        }
        vectors.add(new Vector(label + "/" + label + "_" + i + ".jpg", hex(random), v));
      }
    }
    return vectors;
  }

  /**
   * Vectors shaped like avg_pool outputs (non-negative, most of the mass in few dimensions) for
   * {@code classes} classes that overlap: each class raises its own random subset of dimensions by
   * {@code signal} over shared noise, so a linear classifier gets most but not all right.
   */
  public static List<Vector> overlappingClasses(
      int classes, int perClass, int dimension, double signal, long seed) {
    Random random = new Random(seed);
    List<Vector> vectors = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      boolean[] raised = new boolean[dimension];
      for (int d = 0; d < dimension; d++) {
        raised[d] = random.nextDouble() < 0.15;
      }
      for (int i = 0; i < perClass; i++) {
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
          double value =
              Math.abs(random.nextGaussian()) * 0.6
                  + (raised[d] ? signal * random.nextDouble() : 0);
          v[d] = (float) (random.nextDouble() < 0.3 ? 0 : value);
        }
        String label = "class" + c;
        vectors.add(new Vector(label + "/" + label + "_" + i + ".jpg", hex(random), v));
      }
    }
    return vectors;
  }

  /** Commits {@code vectors} as one run of the store at {@code location}. */
  public static void write(
      SparkSession spark, String location, BackboneFingerprint fingerprint, List<Vector> vectors)
      throws IOException {
    try (FeatureStoreWriter writer =
        FeatureStoreWriter.openOrCreate(
            location, fingerprint, spark.sparkContext().hadoopConfiguration())) {
      commit(spark, writer, fingerprint, vectors);
    }
  }

  private static void commit(
      SparkSession spark,
      FeatureStoreWriter writer,
      BackboneFingerprint fingerprint,
      List<Vector> vectors)
      throws IOException {
    String runId = FeatureStoreWriter.newRunId();
    List<Row> rows = new ArrayList<>();
    for (Vector v : vectors) {
      rows.add(RowFactory.create(v.imageId(), v.path(), v.values(), 10, 10, fingerprint.id()));
    }
    spark
        .createDataFrame(rows, FeatureStoreSchema.FEATURE_ROWS)
        .write()
        .parquet(writer.stagingFeatures(runId).toString());
    spark
        .createDataFrame(List.of(), FeatureStoreSchema.ERROR_ROWS)
        .write()
        .parquet(writer.stagingErrors(runId).toString());
    String now = Instant.now().toString();
    writer.commit(
        new RunSummary(
            runId,
            "fixture",
            now,
            now,
            vectors.size(),
            0,
            vectors.size(),
            vectors.size(),
            0,
            0,
            0));
  }

  /**
   * The store's current vectors by path, in path order, each through the store's own length check.
   */
  public static SortedMap<String, float[]> vectorsByPath(FeatureStore store) {
    SortedMap<String, float[]> vectors = new TreeMap<>();
    int dimension = store.fingerprint().dimension();
    for (Row row :
        store
            .features()
            .select(FeatureStoreSchema.PATH, FeatureStoreSchema.FEATURES)
            .collectAsList()) {
      vectors.put(row.getString(0), store.toVector(row.getList(1), dimension, row.getString(0)));
    }
    return vectors;
  }

  private static String hex(Random random) {
    StringBuilder s = new StringBuilder(64);
    for (int i = 0; i < 64; i++) {
      s.append(Character.forDigit(random.nextInt(16), 16));
    }
    return s.toString();
  }
}
