package dev.tltf.train.audit;

import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The all-pairs search of {@link NeighbourSearch} spread over Spark executors, for stores too large
 * for the driver's cores: executors read the store themselves, centre and normalise each distinct
 * image's vector (the mean and the image numbering come from the driver, broadcast), and gather
 * them into blocks of consecutive images; each task then takes one block pair {@code (i ≤ j)},
 * multiplies the two blocks and returns the partial neighbour tables of both, which are merged per
 * block and collected (N × k entries, never N²). Same pairs, same answer as the driver.
 */
public final class SparkNeighbourSearch {
  private final SparkSession spark;
  private final FeatureStore store;
  private final int blockRows;

  public SparkNeighbourSearch(SparkSession spark, FeatureStore store, int blockRows) {
    this.spark = spark;
    this.store = store;
    this.blockRows = blockRows;
  }

  public NeighbourTable run(AuditSet set, float[] mean, int[] labels, int k) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, Integer> imageOfPath = new HashMap<>();
    for (int image = 0; image < set.images(); image++) {
      imageOfPath.put(set.image(image).path(), image);
    }
    int n = set.images();
    int blocks = (n + blockRows - 1) / blockRows;
    int rows = blockRows;
    int dimension = mean.length;
    Broadcast<Map<String, Integer>> images = context.broadcast(imageOfPath);
    Broadcast<float[]> centre = context.broadcast(mean);
    Broadcast<int[]> classes = context.broadcast(labels);
    JavaPairRDD<Integer, Block> byBlock =
        store
            .features()
            .select(FeatureStoreSchema.PATH, FeatureStoreSchema.FEATURES)
            .javaRDD()
            .filter(row -> images.value().containsKey(row.getString(0)))
            .mapToPair(row -> unit(row, images.value(), centre.value(), rows))
            .groupByKey(Math.max(1, blocks))
            .mapToPair(
                group ->
                    new Tuple2<>(group._1(), block(group._1(), group._2(), rows, n, dimension)))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      List<Tuple2<Integer, NeighbourTable>> parts =
          byBlock
              .cartesian(byBlock)
              .filter(pair -> pair._1()._1() <= pair._2()._1())
              .flatMapToPair(
                  pair -> compare(pair._1()._2(), pair._2()._2(), classes.value(), k).iterator())
              .reduceByKey(
                  (x, y) -> {
                    x.merge(y);
                    return x;
                  })
              .collect();
      NeighbourTable table = new NeighbourTable(0, n, k);
      for (Tuple2<Integer, NeighbourTable> part : parts) {
        table.merge(part._2());
      }
      return table;
    } finally {
      byBlock.unpersist(false);
      images.destroy();
      centre.destroy();
      classes.destroy();
    }
  }

  private static Tuple2<Integer, Tuple2<Integer, float[]>> unit(
      Row row, Map<String, Integer> images, float[] mean, int rows) {
    int image = images.get(row.getString(0));
    List<Float> values = row.getList(1);
    float[] v = new float[values.size()];
    for (int d = 0; d < v.length; d++) {
      v[d] = values.get(d);
    }
    UnitVectors.normalise(v, mean);
    return new Tuple2<>(image / rows, new Tuple2<>(image, v));
  }

  private static Block block(
      int id, Iterable<Tuple2<Integer, float[]>> members, int rows, int n, int dimension) {
    int offset = id * rows;
    int size = Math.min(rows, n - offset);
    float[] values = new float[size * dimension];
    int seen = 0;
    for (Tuple2<Integer, float[]> member : members) {
      System.arraycopy(member._2(), 0, values, (member._1() - offset) * dimension, dimension);
      seen++;
    }
    if (seen != size) {
      throw new IllegalStateException(
          "Block "
              + id
              + " gathered "
              + seen
              + " images, expected "
              + size
              + ": the store changed while the audit ran");
    }
    return new Block(offset, size, dimension, values);
  }

  private static List<Tuple2<Integer, NeighbourTable>> compare(
      Block a, Block b, int[] labels, int k) {
    NeighbourTable forA = new NeighbourTable(a.offset(), a.rows(), k);
    List<Tuple2<Integer, NeighbourTable>> out = new ArrayList<>(2);
    if (a.offset() == b.offset()) {
      BlockKernel.compare(a, a, labels, forA, forA);
    } else {
      NeighbourTable forB = new NeighbourTable(b.offset(), b.rows(), k);
      BlockKernel.compare(a, b, labels, forA, forB);
      out.add(new Tuple2<>(b.offset(), forB));
    }
    out.add(new Tuple2<>(a.offset(), forA));
    return out;
  }
}
