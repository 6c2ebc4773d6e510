package dev.tltf.features.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.tltf.common.error.RetryableException;
import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.provenance.Provenance;
import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.common.store.FeatureStoreWriter;
import dev.tltf.common.store.RunCosts;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.store.StoreCompaction;
import dev.tltf.common.store.StoreLayout;
import dev.tltf.common.store.StoreLease;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.listing.ImageListing;
import dev.tltf.features.listing.ListedFile;
import dev.tltf.features.vectors.ImageVectors;
import dev.tltf.features.vectors.ProgressReporter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One feature run: list the inputs, hash them, compute each distinct new image once, and commit
 * feature and error rows to the store. Only what differs from the store's current view is written
 * ({@link StoreDelta}): a path whose bytes are unchanged keeps its vector, or its failure if that
 * depends only on the bytes; a new path with already-known bytes reuses the stored vector;
 * identical bytes under several new paths are computed once. Every listed file ends as exactly one
 * feature row, one error row, or "already stored"; an unchanged re-run writes no row and no
 * partition, opens no file and starts no Spark job over the images: the driver matches the listing
 * against the store's narrow current rows, read on the driver ({@link StoredFiles}) and only the
 * files that are new or changed go through the stages; a file listed with its stored size and
 * modification time keeps its stored image_id unread (unless --rehash).
 */
final class FeatureExtraction {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureExtraction.class);
  static final String COMMAND = "extract-features";

  /**
   * The description of the run's Spark jobs over images (hash, decode, network, write), in the UI
   * and for tests that count them.
   */
  static final String IMAGE_JOBS = "tltf extract-features: hash, compute and write images";

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
    String location =
        replaced == null ? settings.out() : HadoopPaths.temporarySibling(replaced).toString();
    Backbones.validate(settings.backbone(), hadoop);
    Instant listing = Instant.now();
    double startupSeconds =
        (listing.toEpochMilli() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
    List<ListedFile> files =
        ImageListing.list(
            new ImageListing.Request(
                settings.images(), settings.extensions(), settings.recursive(), settings.limit()),
            hadoop);
    Phases before = new Phases(startupSeconds, secondsSince(listing));
    String runId = FeatureStoreWriter.newRunId();
    // --overwrite replaces the store at --out as a whole: hold its lease too, so no writer adds to
    // it meanwhile.
    StoreLease replacedLease = replaced == null ? null : leaseOfReplaced(replaced, runId, hadoop);
    try (FeatureStoreWriter writer =
        FeatureStoreWriter.openOrCreate(
            location, fingerprint, hadoop, settings.lease(), runId, COMMAND)) {
      FeatureStore store = FeatureStore.open(spark, location);
      LOG.info(
          "Listed {} files under {}; backbone {}",
          files.size(),
          settings.images(),
          fingerprint.describe());
      RunSummary summary = extract(runId, files, store, writer, started, before);
      if (replaced != null) {
        writer.close();
        replacedLease.check();
        replacedLease.retire();
        HadoopPaths.moveIntoPlace(replaced.getFileSystem(hadoop), new Path(location), replaced);
      }
      return summary;
    } catch (IOException e) {
      throw RetryableException.fromIo("Cannot write feature store " + settings.out(), e);
    } finally {
      if (replacedLease != null) {
        replacedLease.close();
      }
    }
  }

  /** The run's time before it compared anything: start-up (from the JVM's start), and listing. */
  private record Phases(double startupSeconds, double listingSeconds) {}

  private StoreLease leaseOfReplaced(Path replaced, String runId, Configuration hadoop) {
    try {
      return StoreLease.acquire(settings.out(), replaced, runId, COMMAND, settings.lease(), hadoop);
    } catch (IOException e) {
      throw RetryableException.fromIo("Cannot write feature store " + settings.out(), e);
    }
  }

  private RunSummary extract(
      String runId,
      List<ListedFile> files,
      FeatureStore store,
      FeatureStoreWriter writer,
      Instant started,
      Phases before) {
    BackboneFingerprint fingerprint = settings.backbone().fingerprint();
    ImageVectors vectors =
        new ImageVectors(
            spark,
            settings.backbone(),
            settings.limits(),
            settings.batchSize(),
            settings.partitions());
    Instant hashing = Instant.now();
    List<ListedFile> toRead = files;
    if (!settings.rehash()) {
      // The driver decides from the store's narrow rows which files need reading; an unchanged
      // re-run ends here, with no Spark job at all.
      StoredFiles.Split split;
      try {
        split = StoredFiles.read(store, spark.sparkContext().hadoopConfiguration()).split(files);
      } catch (IOException e) {
        throw RetryableException.fromIo("Cannot read feature store " + settings.out(), e);
      }
      LOG.info(
          "{} of {} listed files unchanged since their stored rows; {} to read",
          split.settled(),
          files.size(),
          split.pending().size());
      if (split.pending().isEmpty()) {
        return commitUnchanged(runId, files.size(), writer, started, before, hashing);
      }
      toRead = split.pending();
    }
    spark.sparkContext().setJobDescription(IMAGE_JOBS);
    Dataset<Row> current = store.currentRows().persist(StorageLevel.MEMORY_AND_DISK());
    // --rehash reads every file; otherwise a file listed with its stored size and modification time
    // is not opened.
    Dataset<Row> hashed =
        (settings.rehash() ? vectors.hash(toRead) : vectors.hash(toRead, current))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      hashed.count();
      double hashingSeconds = secondsSince(hashing);
      Instant computing = Instant.now();
      Dataset<Row> pending = StoreDelta.pending(ImageVectors.readable(hashed), current);
      Dataset<Row> stored = store.features();
      Dataset<Row> known =
          stored
              .select(
                  FeatureStoreSchema.IMAGE_ID,
                  FeatureStoreSchema.FEATURES,
                  FeatureStoreSchema.WIDTH,
                  FeatureStoreSchema.HEIGHT)
              .dropDuplicates(FeatureStoreSchema.IMAGE_ID);
      Dataset<Row> reused =
          pending.join(known, ImageVectors.columns(FeatureStoreSchema.IMAGE_ID), "inner");
      Dataset<Row> fresh =
          pending.join(known, ImageVectors.columns(FeatureStoreSchema.IMAGE_ID), "left_anti");
      Dataset<Row> distinctNew = ImageVectors.distinctImages(fresh);

      long pendingCount = pending.count();
      long toCompute = distinctNew.count();
      LOG.info("{} to add or retry, {} distinct new images to compute", pendingCount, toCompute);

      LongAccumulator done = vectors.newCounter("tltf.images");
      Dataset<Row> computed =
          vectors.compute(distinctNew, toCompute, done).persist(StorageLevel.DISK_ONLY());
      try (ProgressReporter progress =
          new ProgressReporter(done, toCompute, settings.progressInterval())) {
        long networkVectors = computed.filter(col(FeatureStoreSchema.FEATURES).isNotNull()).count();
        double computingSeconds = secondsSince(computing);
        Instant committing = Instant.now();
        Dataset<Row> freshResults =
            fresh
                .select(
                    FeatureStoreSchema.PATH,
                    FeatureStoreSchema.IMAGE_ID,
                    FeatureStoreSchema.FILE_SIZE,
                    FeatureStoreSchema.MODIFIED_MS)
                .join(computed, ImageVectors.columns(FeatureStoreSchema.IMAGE_ID), "inner");
        Dataset<Row> featureRows =
            reused
                .select(featureColumns())
                .unionByName(
                    freshResults
                        .filter(col(FeatureStoreSchema.FEATURES).isNotNull())
                        .select(featureColumns()))
                .withColumn(FeatureStoreSchema.BACKBONE, lit(fingerprint.id()));
        Dataset<Row> errorRows =
            StoreDelta.newErrors(
                ImageVectors.unreadable(hashed)
                    .unionByName(
                        freshResults
                            .filter(col(FeatureStoreSchema.FEATURES).isNull())
                            .select(ImageVectors.errorColumns())),
                current);

        write(
            featureRows,
            FeatureStoreSchema.withFileColumns(FeatureStoreSchema.FEATURE_ROWS),
            writer.stagingFeatures(runId));
        write(
            errorRows,
            FeatureStoreSchema.withFileColumns(FeatureStoreSchema.ERROR_ROWS),
            writer.stagingErrors(runId));
        long featureCount = spark.read().parquet(writer.stagingFeatures(runId).toString()).count();
        long errorCount = spark.read().parquet(writer.stagingErrors(runId).toString()).count();
        // Already stored: the path's current row (a vector, or a failure of the same bytes) still
        // holds.
        RunCosts costs =
            new RunCosts(
                vectors.filesOpened(),
                vectors.bytesRead(),
                before.listingSeconds(),
                hashingSeconds,
                computingSeconds,
                secondsSince(committing),
                before.startupSeconds());
        RunSummary summary =
            summary(runId, started, files.size(), featureCount, errorCount, networkVectors, costs);
        writer.commit(summary);
        if (featureCount + errorCount > 0) { // only a run that added rows can have superseded any
          compactIfNeeded(store.location(), writer);
        }
        return summary;
      } finally {
        computed.unpersist();
      }
    } catch (IOException e) {
      writer.abort(runId);
      throw RetryableException.fromIo(
          "Cannot commit run " + runId + " to feature store " + settings.out(), e);
    } catch (Exception e) { // RuntimeExceptions, and SparkException, which Spark throws undeclared
      writer.abort(runId);
      throw RetryableException.fromCause(
          "Cannot write run " + runId + " to feature store " + settings.out(), e);
    } finally {
      current.unpersist();
      hashed.unpersist();
      spark.sparkContext().setJobDescription(null);
    }
  }

  /**
   * The summary of run {@code runId}, timed from {@code started} to now: every listed file not
   * written as a feature or error row was already stored.
   */
  private RunSummary summary(
      String runId,
      Instant started,
      long listed,
      long featureRows,
      long errorRows,
      long computed,
      RunCosts costs) {
    Instant finished = Instant.now();
    double seconds = (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0;
    return new RunSummary(
        runId,
        settings.images(),
        started.toString(),
        finished.toString(),
        listed,
        listed - featureRows - errorRows,
        computed,
        featureRows,
        errorRows,
        seconds,
        seconds > 0 ? computed / seconds : 0,
        List.of(),
        costs,
        Provenance.current());
  }

  /**
   * The run of a tree the store already answers for, every file: only its summary is committed
   * (nothing opened, nothing computed, no partition written).
   */
  private RunSummary commitUnchanged(
      String runId,
      long listed,
      FeatureStoreWriter writer,
      Instant started,
      Phases before,
      Instant hashing) {
    RunCosts costs =
        new RunCosts(
            0, 0, before.listingSeconds(), secondsSince(hashing), 0, 0, before.startupSeconds());
    RunSummary summary = summary(runId, started, listed, 0, 0, 0, costs);
    try {
      writer.commit(summary);
    } catch (IOException e) {
      writer.abort(runId);
      throw RetryableException.fromIo(
          "Cannot commit run " + runId + " to feature store " + settings.out(), e);
    }
    return summary;
  }

  /**
   * Past the threshold of superseded rows, the run ends by compacting the store (under the same
   * writer).
   */
  private void compactIfNeeded(String location, FeatureStoreWriter writer) throws IOException {
    if (settings.autoCompactPercent() <= 0) {
      return;
    }
    FeatureStore committed = FeatureStore.open(spark, location);
    double superseded = StoreCompaction.supersededFraction(committed);
    if (superseded * 100 > settings.autoCompactPercent()) {
      StoreCompaction.Result done = StoreCompaction.compact(spark, committed, writer);
      LOG.info(
          "Compacted {}: {} % of its rows were superseded (--auto-compact-percent {}); {} runs merged into {}",
          settings.out(),
          String.format(java.util.Locale.ROOT, "%.1f", superseded * 100),
          settings.autoCompactPercent(),
          done.runsMerged(),
          done.runId());
    }
  }

  /**
   * With --overwrite and an existing store at --out, the run builds a new store beside it and swaps
   * it in at the end; only a tltf store (or an empty directory) is ever replaced.
   */
  private Path replacedStore(Configuration hadoop) {
    if (!settings.overwrite()) {
      return null;
    }
    try {
      Path out = HadoopPaths.qualify(settings.out(), hadoop);
      HadoopPaths.checkCanCreate(
          "a feature store",
          settings.out(),
          true,
          (fs, path) ->
              fs.exists(new StoreLayout(path).manifest())
                  || (HadoopPaths.isDirectory(fs, path) && fs.listStatus(path).length == 0),
          hadoop);
      return out.getFileSystem(hadoop).exists(out) ? out : null;
    } catch (IOException e) {
      throw RetryableException.fromIo("Cannot write feature store " + settings.out(), e);
    }
  }

  private static org.apache.spark.sql.Column[] featureColumns() {
    return new org.apache.spark.sql.Column[] {
      col(FeatureStoreSchema.IMAGE_ID),
      col(FeatureStoreSchema.PATH),
      col(FeatureStoreSchema.FEATURES),
      col(FeatureStoreSchema.WIDTH),
      col(FeatureStoreSchema.HEIGHT),
      col(FeatureStoreSchema.FILE_SIZE),
      col(FeatureStoreSchema.MODIFIED_MS)
    };
  }

  /** Writes {@code rows} as Parquet with {@code schema}, its columns taken by name. */
  private void write(Dataset<Row> rows, StructType schema, Path to) {
    Dataset<Row> ordered =
        rows.select(
            java.util.Arrays.stream(schema.fieldNames())
                .map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new));
    spark.createDataFrame(ordered.javaRDD(), schema).write().parquet(to.toString());
  }

  private static double secondsSince(Instant start) {
    return (Instant.now().toEpochMilli() - start.toEpochMilli()) / 1000.0;
  }
}
