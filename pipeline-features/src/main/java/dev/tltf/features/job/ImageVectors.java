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
    return spark.createDataFrame(jsc.parallelize(files, slices).map(new FileHasher(conf)), Stages.HASHED);
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

  /** Stage 2: {@link Stages#COMPUTED} rows for {@code count} distinct (image_id, uri) rows. */
  Dataset<Row> compute(Dataset<Row> distinct, long count) {
    int slices = partitions > 0 ? partitions
        : (int) Math.max(1, Math.min(jsc.defaultParallelism() * 4L, (count + batchSize - 1) / batchSize));
    JavaRDD<Row> rows = distinct.select(FeatureStoreSchema.IMAGE_ID, Stages.URI).javaRDD().repartition(slices)
        .mapPartitions(new ImageFeaturizer(backbone, conf, limits, batchSize));
    return spark.createDataFrame(rows, Stages.COMPUTED);
  }

  static Column[] errorColumns() {
    return new Column[] {col(FeatureStoreSchema.PATH), col(FeatureStoreSchema.IMAGE_ID), col(FeatureStoreSchema.REASON),
        col(FeatureStoreSchema.ERROR_CLASS)};
  }

  static scala.collection.Seq<String> columns(String... names) {
    return scala.collection.JavaConverters.collectionAsScalaIterableConverter(List.of(names)).asScala().toSeq();
  }
}
