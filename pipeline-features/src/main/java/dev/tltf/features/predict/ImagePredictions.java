package dev.tltf.features.predict;

import static org.apache.spark.sql.functions.col;

import dev.tltf.common.head.Head;
import dev.tltf.common.head.PortableHead;
import dev.tltf.common.predict.PredictionRows;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.listing.ImageListing;
import dev.tltf.features.listing.ListedFile;
import dev.tltf.features.vectors.DecodeLimits;
import dev.tltf.features.vectors.ImageVectors;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Predictions for new images: the feature job's two stages (hash, then one forward pass per
 * distinct image), then the head. Every listed file gets one row: a prediction, or an error naming
 * why it has none.
 */
public final class ImagePredictions {
  private final SparkSession spark;
  private final BackboneSpec backbone;
  private final DecodeLimits limits;
  private final int batchSize;

  public ImagePredictions(
      SparkSession spark, BackboneSpec backbone, DecodeLimits limits, int batchSize) {
    this.spark = spark;
    this.backbone = backbone;
    this.limits = limits;
    this.batchSize = batchSize;
  }

  /** {@link PredictionRows#SCHEMA} rows for every image under {@code images}. */
  public Dataset<Row> predict(String images, Set<String> extensions, Head head, int k) {
    Backbones.validate(backbone, spark.sparkContext().hadoopConfiguration());
    List<ListedFile> files =
        ImageListing.list(images, extensions, spark.sparkContext().hadoopConfiguration());
    ImageVectors vectors = new ImageVectors(spark, backbone, limits, batchSize, 0);
    Dataset<Row> hashed = vectors.hash(files).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> readable = ImageVectors.readable(hashed);
    Dataset<Row> distinct = ImageVectors.distinctImages(readable);
    Dataset<Row> computed =
        vectors
            .compute(distinct, distinct.count(), vectors.newCounter("tltf.images"))
            .persist(StorageLevel.DISK_ONLY());
    Dataset<Row> results =
        readable
            .select(
                FeatureStoreSchema.PATH,
                FeatureStoreSchema.IMAGE_ID,
                FeatureStoreSchema.FILE_SIZE,
                FeatureStoreSchema.MODIFIED_MS)
            .join(computed, ImageVectors.columns(FeatureStoreSchema.IMAGE_ID), "inner");

    JavaRDD<Row> predicted =
        results
            .filter(col(FeatureStoreSchema.FEATURES).isNotNull())
            .select(
                FeatureStoreSchema.PATH, FeatureStoreSchema.IMAGE_ID, FeatureStoreSchema.FEATURES)
            .javaRDD()
            .mapPartitions(new PredictionRows(PortableHead.of(head), k));
    JavaRDD<Row> failed =
        ImageVectors.unreadable(hashed)
            .unionByName(
                results
                    .filter(col(FeatureStoreSchema.FEATURES).isNull())
                    .select(ImageVectors.errorColumns()))
            .javaRDD()
            .map(
                row -> PredictionRows.failed(row.getString(0), row.getString(1), row.getString(2)));
    return spark.createDataFrame(predicted.union(failed), PredictionRows.SCHEMA);
  }
}
