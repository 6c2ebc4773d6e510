package dev.tltf.train.benchmark;

import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.common.store.FeatureStoreWriter;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.testing.StoreFixtures;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A feature store of {@code rows} synthetic avg_pool-like vectors in {@code classes} overlapping
 * classes, generated on the executors and committed through the real writer (the vectors never all
 * sit in one heap). The recipe is {@link StoreFixtures#overlappingClasses}'s: non-negative, 30 %
 * zeros, each class raising its own random 15 % of the dimensions by up to {@code signal}; every
 * row comes from its own seed, so the store is the same on every run. Paths are {@code classC/…},
 * so folder labels give the classes.
 */
final class SyntheticVectorStore {
  private SyntheticVectorStore() {}

  static void write(
      SparkSession spark,
      String location,
      int rows,
      int classes,
      int dimension,
      double signal,
      long seed)
      throws IOException {
    var fingerprint = StoreFixtures.fingerprint("random:" + seed, dimension);
    try (FeatureStoreWriter writer =
        FeatureStoreWriter.openOrCreate(
            location, fingerprint, spark.sparkContext().hadoopConfiguration())) {
      write(spark, writer, rows, classes, dimension, signal, seed, fingerprint.id());
    }
  }

  private static void write(
      SparkSession spark,
      FeatureStoreWriter writer,
      int rows,
      int classes,
      int dimension,
      double signal,
      long seed,
      String backbone)
      throws IOException {
    String runId = FeatureStoreWriter.newRunId();
    int chunks = Math.max(1, rows / 2000);
    JavaRDD<Row> data =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(IntStream.range(0, chunks).boxed().toList(), chunks)
            .flatMap(
                chunk ->
                    chunk(chunk, chunks, rows, classes, dimension, signal, seed, backbone)
                        .iterator());
    spark
        .createDataFrame(data, FeatureStoreSchema.FEATURE_ROWS)
        .write()
        .parquet(writer.stagingFeatures(runId).toString());
    spark
        .createDataFrame(List.of(), FeatureStoreSchema.ERROR_ROWS)
        .write()
        .parquet(writer.stagingErrors(runId).toString());
    String now = Instant.now().toString();
    writer.commit(new RunSummary(runId, "synthetic", now, now, rows, 0, rows, rows, 0, 0, 0));
  }

  private static List<Row> chunk(
      int chunk,
      int chunks,
      int rows,
      int classes,
      int dimension,
      double signal,
      long seed,
      String backbone) {
    boolean[][] raised = new boolean[classes][dimension];
    Random classRandom = new Random(seed);
    for (int c = 0; c < classes; c++) {
      for (int d = 0; d < dimension; d++) {
        raised[c][d] = classRandom.nextDouble() < 0.15;
      }
    }
    List<Row> out = new ArrayList<>();
    for (int i = chunk; i < rows; i += chunks) {
      Random random = new Random(seed * 1_000_003L + i);
      int c = i % classes;
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        double value =
            Math.abs(random.nextGaussian()) * 0.6
                + (raised[c][d] ? signal * random.nextDouble() : 0);
        v[d] = (float) (random.nextDouble() < 0.3 ? 0 : value);
      }
      StringBuilder id = new StringBuilder(64);
      for (int k = 0; k < 64; k++) {
        id.append(Character.forDigit(random.nextInt(16), 16));
      }
      out.add(
          RowFactory.create(id.toString(), "class" + c + "/" + i + ".jpg", v, 10, 10, backbone));
    }
    return out;
  }
}
