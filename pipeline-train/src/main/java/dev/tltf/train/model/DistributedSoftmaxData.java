package dev.tltf.train.model;

import dev.tltf.common.NativeSetup;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.train.model.HeadTrainer.LabeledRows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@code --distributed} for the full-batch solver: the training vectors read from the store's
 * Parquet once, standardised and cut into blocks on the executors and cached there ({@code
 * MEMORY_AND_DISK}); each loss evaluation broadcasts the parameters, sums every partition's blocks
 * where they are cached and adds the partial sums in a tree (as MLlib's {@code treeAggregate}
 * does), so the driver receives a few gradients, not one per partition. Unlike {@code
 * treeAggregate}, partial sums are always added in partition order, so the sums, and the head, do
 * not depend on which task finished first.
 */
public final class DistributedSoftmaxData implements SoftmaxData {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedSoftmaxData.class);

  /** Partial sums merged per tree node. */
  static final int FAN_IN = 8;

  /**
   * Standardised rows of one partition (at most {@link LocalSoftmaxData#BLOCK_ROWS}), row-major.
   */
  record Block(float[] values, int[] labels, float[] weights) implements Serializable {}

  private final JavaSparkContext jsc;
  private final JavaRDD<Block> blocks;
  private final int dimension;
  private final int classes;
  private final int rows;

  private DistributedSoftmaxData(
      JavaSparkContext jsc, JavaRDD<Block> blocks, int dimension, int classes, int rows) {
    this.jsc = jsc;
    this.blocks = blocks;
    this.dimension = dimension;
    this.classes = classes;
    this.rows = rows;
  }

  /** Training data on the executors of {@code spark}, read from {@code store}. */
  public static FullBatchTrainer.TrainData factory(SparkSession spark, FeatureStore store) {
    return (train, rowWeights, standardizer, classes) ->
        create(spark, store, train, rowWeights, standardizer, classes);
  }

  static DistributedSoftmaxData create(
      SparkSession spark,
      FeatureStore store,
      LabeledRows train,
      float[] rowWeights,
      Standardizer standardizer,
      int classes) {
    int dimension = train.spill().dimension();
    // Rows are matched by path, which is unique in the store's current view (as the mini-batch
    // trainer does).
    Map<String, float[]> labelAndWeight = new HashMap<>();
    for (int i = 0; i < train.size(); i++) {
      int row = train.rows()[i];
      labelAndWeight.put(
          train.spill().path(row),
          new float[] {train.labels()[row], rowWeights == null ? 1f : rowWeights[i]});
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Map<String, float[]>> labels = jsc.broadcast(labelAndWeight);
    Broadcast<Standardizer> scaling = jsc.broadcast(standardizer);
    JavaRDD<Block> blocks =
        store
            .features()
            .select(FeatureStoreSchema.PATH, FeatureStoreSchema.FEATURES)
            .javaRDD()
            .mapPartitions(
                partition -> blocks(partition, labels.value(), scaling.value(), dimension))
            .persist(StorageLevel.MEMORY_AND_DISK());
    long cached = blocks.map(block -> (long) block.labels().length).fold(0L, Long::sum);
    labels.unpersist();
    scaling.unpersist();
    if (cached != train.size()) {
      blocks.unpersist();
      throw new IllegalStateException(
          "The executors found "
              + cached
              + " of the "
              + train.size()
              + " training rows in "
              + store.location()
              + ": the store changed while training");
    }
    LOG.info(
        "lbfgs (distributed): {} training rows read once from {} and cached in {} partitions on the executors",
        cached,
        store.location(),
        blocks.getNumPartitions());
    return new DistributedSoftmaxData(jsc, blocks, dimension, classes, train.size());
  }

  private static Iterator<Block> blocks(
      Iterator<Row> partition,
      Map<String, float[]> labels,
      Standardizer standardizer,
      int dimension) {
    List<Block> out = new ArrayList<>();
    int capacity = LocalSoftmaxData.BLOCK_ROWS;
    float[] values = new float[capacity * dimension];
    int[] classOf = new int[capacity];
    float[] weights = new float[capacity];
    int count = 0;
    while (partition.hasNext()) {
      Row row = partition.next();
      float[] labelAndWeight = labels.get(row.getString(0));
      if (labelAndWeight == null) {
        continue; // not in the training split, or unlabelled
      }
      List<Float> vector = row.getList(1);
      for (int d = 0; d < dimension; d++) {
        values[count * dimension + d] = vector.get(d);
      }
      classOf[count] = (int) labelAndWeight[0];
      weights[count] = labelAndWeight[1];
      count++;
      if (count == capacity) {
        standardizer.apply(values, count);
        out.add(
            new Block(
                Arrays.copyOf(values, count * dimension),
                Arrays.copyOf(classOf, count),
                Arrays.copyOf(weights, count)));
        count = 0;
      }
    }
    if (count > 0) {
      standardizer.apply(values, count);
      out.add(
          new Block(
              Arrays.copyOf(values, count * dimension),
              Arrays.copyOf(classOf, count),
              Arrays.copyOf(weights, count)));
    }
    return out.iterator();
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public SoftmaxSums sums(float[] w, float[] b, boolean withGradient) {
    Broadcast<float[][]> parameters = jsc.broadcast(new float[][] {w, b});
    int d = dimension;
    int k = classes;
    try {
      JavaPairRDD<Integer, SoftmaxSums> level =
          blocks
              .mapPartitionsWithIndex(
                  (index, partition) -> {
                    NativeSetup.ensure();
                    float[][] p = parameters.value();
                    INDArray weights = Nd4j.create(p[0], new long[] {d, k}, 'c');
                    SoftmaxSums sums = new SoftmaxSums(d, k, withGradient);
                    while (partition.hasNext()) {
                      Block block = partition.next();
                      INDArray x =
                          Nd4j.create(block.values(), new long[] {block.labels().length, d}, 'c');
                      sums.add(x, block.labels(), block.weights(), weights, p[1]);
                      SoftmaxSums.close(x);
                    }
                    SoftmaxSums.close(weights);
                    return List.of(new Tuple2<>(index, sums)).iterator();
                  },
                  true)
              .mapToPair(pair -> pair);
      int count = blocks.getNumPartitions();
      while (count > FAN_IN) {
        int next = (count + FAN_IN - 1) / FAN_IN;
        level =
            level
                .mapToPair(pair -> new Tuple2<>(pair._1() / FAN_IN, pair))
                .groupByKey(next)
                .mapToPair(
                    group -> {
                      List<Tuple2<Integer, SoftmaxSums>> parts = new ArrayList<>();
                      group._2().forEach(parts::add);
                      return new Tuple2<>(group._1(), inOrder(parts, d, k, withGradient));
                    });
        count = next;
      }
      return inOrder(new ArrayList<>(level.collect()), d, k, withGradient);
    } finally {
      parameters.destroy();
    }
  }

  /** The partial sums added in the order of their partition (or tree node) index. */
  private static SoftmaxSums inOrder(
      List<Tuple2<Integer, SoftmaxSums>> parts, int d, int k, boolean withGradient) {
    parts.sort(Comparator.comparing((Tuple2<Integer, SoftmaxSums> part) -> part._1()));
    SoftmaxSums total = new SoftmaxSums(d, k, withGradient);
    parts.forEach(part -> total.merge(part._2()));
    return total;
  }

  @Override
  public void close() {
    blocks.unpersist();
  }
}
