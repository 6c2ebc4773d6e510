package dev.tltf.features.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.store.StoreLayout;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.common.store.FeatureStoreWriter;
import dev.tltf.common.store.RunSummary;
import dev.tltf.features.backbone.Backbones;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One feature run: list the inputs, hash them, compute each distinct new image once, and commit feature and error
 * rows to the store. Images whose (path, image_id) is already stored are skipped; a new path with already-known
 * bytes reuses the stored vector; identical bytes under several new paths are computed once. Every listed file
 * ends as exactly one feature row, one error row, or "already stored".
 */
public final class FeatureExtraction {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureExtraction.class);

  private final SparkSession spark;
  private final ExtractSettings settings;

  public FeatureExtraction(SparkSession spark, ExtractSettings settings) {
    this.spark = spark;
    this.settings = settings;
  }

  public RunSummary run() {
    Instant started = Instant.now();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    BackboneFingerprint fingerprint = settings.backbone().fingerprint();

    // Everything that can be wrong with the inputs is found here, before any image is read.
    Path replaced = replacedStore(hadoop);
    String location = replaced == null ? settings.out() : HadoopPaths.temporarySibling(replaced).toString();
    Backbones.get(settings.backbone(), hadoop);
    List<ListedFile> files = ImageListing.list(new ImageListing.Request(settings.images(), settings.extensions(),
        settings.recursive(), settings.limit()), hadoop);
    FeatureStoreWriter writer = FeatureStoreWriter.openOrCreate(location, fingerprint, hadoop);
    FeatureStore store = FeatureStore.open(spark, location);
    LOG.info("Listed {} files under {}; backbone {}", files.size(), settings.images(), fingerprint.describe());

    String runId = FeatureStoreWriter.newRunId();
    ImageVectors vectors = new ImageVectors(spark, settings.backbone(), settings.limits(), settings.batchSize(),
        settings.partitions());
    Dataset<Row> hashed = vectors.hash(files).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> readable = ImageVectors.readable(hashed);
      Dataset<Row> stored = store.features();
      Dataset<Row> pending = readable.join(stored.select(FeatureStoreSchema.PATH, FeatureStoreSchema.IMAGE_ID),
          ImageVectors.columns(FeatureStoreSchema.PATH, FeatureStoreSchema.IMAGE_ID), "left_anti");
      Dataset<Row> known = stored.select(FeatureStoreSchema.IMAGE_ID, FeatureStoreSchema.FEATURES,
          FeatureStoreSchema.WIDTH, FeatureStoreSchema.HEIGHT).dropDuplicates(FeatureStoreSchema.IMAGE_ID);
      Dataset<Row> reused = pending.join(known, ImageVectors.columns(FeatureStoreSchema.IMAGE_ID), "inner");
      Dataset<Row> fresh = pending.join(known, ImageVectors.columns(FeatureStoreSchema.IMAGE_ID), "left_anti");
      Dataset<Row> distinctNew = ImageVectors.distinctImages(fresh);

      long readableCount = readable.count();
      long pendingCount = pending.count();
      long toCompute = distinctNew.count();
      LOG.info("{} already stored, {} to add, {} distinct new images to compute", readableCount - pendingCount,
          pendingCount, toCompute);

      LongAccumulator done = vectors.newCounter("tltf.images");
      Dataset<Row> computed = vectors.compute(distinctNew, toCompute, done).persist(StorageLevel.DISK_ONLY());
      try (ProgressReporter progress = new ProgressReporter(done, toCompute, settings.progressInterval())) {
        Dataset<Row> freshResults = fresh.select(FeatureStoreSchema.PATH, FeatureStoreSchema.IMAGE_ID)
            .join(computed, ImageVectors.columns(FeatureStoreSchema.IMAGE_ID), "inner");
        Dataset<Row> featureRows = reused.select(featureColumns())
            .unionByName(freshResults.filter(col(FeatureStoreSchema.FEATURES).isNotNull()).select(featureColumns()))
            .withColumn(FeatureStoreSchema.BACKBONE, lit(fingerprint.id()));
        Dataset<Row> errorRows = ImageVectors.unreadable(hashed).unionByName(
            freshResults.filter(col(FeatureStoreSchema.FEATURES).isNull()).select(ImageVectors.errorColumns()));

        spark.createDataFrame(featureRows.javaRDD(), FeatureStoreSchema.FEATURE_ROWS)
            .write().parquet(writer.stagingFeatures(runId).toString());
        spark.createDataFrame(errorRows.javaRDD(), FeatureStoreSchema.ERROR_ROWS)
            .write().parquet(writer.stagingErrors(runId).toString());

        long networkVectors = computed.filter(col(FeatureStoreSchema.FEATURES).isNotNull()).count();
        long featureCount = spark.read().parquet(writer.stagingFeatures(runId).toString()).count();
        long errorCount = spark.read().parquet(writer.stagingErrors(runId).toString()).count();
        Instant finished = Instant.now();
        double seconds = (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0;
        RunSummary summary = new RunSummary(runId, settings.images(), started.toString(), finished.toString(),
            files.size(), readableCount - pendingCount, networkVectors, featureCount, errorCount, seconds,
            seconds > 0 ? networkVectors / seconds : 0);
        writer.commit(summary);
        if (replaced != null) {
          HadoopPaths.moveIntoPlace(replaced.getFileSystem(hadoop), new Path(location), replaced);
        }
        return summary;
      } finally {
        computed.unpersist();
      }
    } catch (IOException e) {
      writer.abort(runId);
      throw new UncheckedIOException("Cannot commit run " + runId + " to " + settings.out(), e);
    } catch (RuntimeException e) {
      writer.abort(runId);
      throw e;
    } finally {
      hashed.unpersist();
    }
  }

  /**
   * With --overwrite and an existing store at --out, the run builds a new store beside it and swaps it in at the end;
   * only a tltf store (or an empty directory) is ever replaced.
   */
  private Path replacedStore(Configuration hadoop) {
    if (!settings.overwrite()) {
      return null;
    }
    try {
      Path out = HadoopPaths.qualify(settings.out(), hadoop);
      HadoopPaths.checkCanCreate("a feature store", settings.out(), true, (fs, path) -> fs.exists(new StoreLayout(path)
          .manifest()) || (fs.isDirectory(path) && fs.listStatus(path).length == 0), hadoop);
      return out.getFileSystem(hadoop).exists(out) ? out : null;
    } catch (IOException e) {
      throw new dev.tltf.common.error.InvalidInputException("Cannot write feature store " + settings.out() + ": "
          + e.getMessage(), e);
    }
  }

  private static org.apache.spark.sql.Column[] featureColumns() {
    return new org.apache.spark.sql.Column[] {col(FeatureStoreSchema.IMAGE_ID), col(FeatureStoreSchema.PATH),
        col(FeatureStoreSchema.FEATURES), col(FeatureStoreSchema.WIDTH), col(FeatureStoreSchema.HEIGHT)};
  }
}
