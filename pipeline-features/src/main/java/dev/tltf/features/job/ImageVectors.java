package dev.tltf.features.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import dev.tltf.common.io.SerializableHadoopConf;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.features.backbone.BackboneSpec;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The two distributed stages that turn listed files into vectors, shared by the feature job and prediction from
 * images: {@link #hash} gives every file its content address (or an error), {@link #compute} runs each distinct
 * image through the backbone once.
 */
final class ImageVectors {
  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final SerializableHadoopConf conf;
  private final BackboneSpec backbone;
  private final DecodeLimits limits;
  private final int batchSize;
  private final int partitions;

  ImageVectors(SparkSession spark, BackboneSpec backbone, DecodeLimits limits, int batchSize, int partitions) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.conf = new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration());
    this.backbone = backbone;
    this.limits = limits;
    this.batchSize = batchSize;
    this.partitions = partitions;
  }

  /** Stage 1: {@link Stages#HASHED} rows, one per file. */
  Dataset<Row> hash(List<ListedFile> files) {
    int slices = Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 4));
    return spark.createDataFrame(jsc.parallelize(files, slices).map(new FileHasher(conf, limits.maxFileBytes())),
        Stages.HASHED);
  }

  /** The hashed files that could be read. */
  static Dataset<Row> readable(Dataset<Row> hashed) {
    return hashed.filter(col(FeatureStoreSchema.IMAGE_ID).isNotNull());
  }

  /** The hashed files that could not be read, as error rows. */
  static Dataset<Row> unreadable(Dataset<Row> hashed) {
    return hashed.filter(col(FeatureStoreSchema.IMAGE_ID).isNull()).select(errorColumns());
  }

  /** One (image_id, uri) per distinct image among {@code files} (rows with image_id and uri). */
  static Dataset<Row> distinctImages(Dataset<Row> files) {
    return files.groupBy(FeatureStoreSchema.IMAGE_ID).agg(min(Stages.URI).as(Stages.URI));
  }

  /**
   * Stage 2: {@link Stages#COMPUTED} rows for {@code count} distinct (image_id, uri) rows; {@code done} counts the
   * images processed. Without a set partition count, tasks hold at most {@value #BATCHES_PER_TASK} batches, at least
   * four tasks per core: small tasks spread the work evenly and report progress often, and a failed task costs little.
   */
  Dataset<Row> compute(Dataset<Row> distinct, long count, LongAccumulator done) {
    long batches = (count + batchSize - 1) / batchSize;
    int slices = partitions > 0 ? partitions
        : (int) Math.max(1, Math.min(batches, Math.max(jsc.defaultParallelism() * 4L,
            (batches + BATCHES_PER_TASK - 1) / BATCHES_PER_TASK)));
    JavaRDD<Row> rows = distinct.select(FeatureStoreSchema.IMAGE_ID, Stages.URI).javaRDD().repartition(slices)
        .mapPartitions(new ImageFeaturizer(backbone, conf, limits, batchSize, done));
    return spark.createDataFrame(rows, Stages.COMPUTED);
  }

  static final int BATCHES_PER_TASK = 16;

  LongAccumulator newCounter(String name) {
    return spark.sparkContext().longAccumulator(name);
  }

  static Column[] errorColumns() {
    return new Column[] {col(FeatureStoreSchema.PATH), col(FeatureStoreSchema.IMAGE_ID), col(FeatureStoreSchema.REASON),
        col(FeatureStoreSchema.ERROR_CLASS)};
  }

  static scala.collection.Seq<String> columns(String... names) {
    return scala.collection.JavaConverters.collectionAsScalaIterableConverter(List.of(names)).asScala().toSeq();
  }
}
