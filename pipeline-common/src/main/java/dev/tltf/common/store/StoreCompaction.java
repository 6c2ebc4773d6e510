package dev.tltf.common.store;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rewrites the current view of a store (one row per path, the latest) as a single run with files of
 * about {@value #TARGET_FILE_BYTES} bytes, committed like any run; its marker lists the runs it
 * replaces, which are then dropped. Computes nothing. Run by {@code bin/compact-features} and, past
 * a threshold of superseded rows, at the end of a feature run; the caller holds the store's writer
 * (and so its lease).
 */
public final class StoreCompaction {
  static final long TARGET_FILE_BYTES = 128L << 20;

  /** What a compaction did. */
  public record Result(String runId, int runsMerged, long featureRows, long errorRows, int files) {}

  private StoreCompaction() {}

  /**
   * Rows of committed runs that are no longer current (a later run holds their path), as a fraction
   * of all rows; 0 for an empty store. Counts come from the markers and from the current view's
   * paths (no vectors read).
   */
  public static double supersededFraction(FeatureStore store) {
    long stored = 0;
    for (RunSummary run : store.runSummaries()) {
      stored += run.featureRows() + run.errorRows();
    }
    if (stored == 0) {
      return 0;
    }
    long current =
        store.features().select(FeatureStoreSchema.PATH).count()
            + store.errors().select(FeatureStoreSchema.PATH).count();
    return Math.max(0, stored - current) / (double) stored;
  }

  /**
   * Compacts {@code store} through {@code writer}; a store with at most one run with data is left
   * as it is.
   */
  public static Result compact(SparkSession spark, FeatureStore store, FeatureStoreWriter writer)
      throws IOException {
    List<String> runs = store.committedRuns();
    Instant started = Instant.now();
    String runId = FeatureStoreWriter.newCompactionId();
    Dataset<Row> features = store.features().drop(FeatureStoreSchema.RUN);
    Dataset<Row> errors = store.errors().drop(FeatureStoreSchema.RUN);
    long featureRows = features.count();
    long errorRows = errors.count();
    long bytes = featureRows * (store.fingerprint().dimension() * 4L + 200);
    int files =
        (int) Math.max(1, Math.min(10_000, (bytes + TARGET_FILE_BYTES - 1) / TARGET_FILE_BYTES));
    try {
      features.repartition(files).write().parquet(writer.stagingFeatures(runId).toString());
      errors.coalesce(1).write().parquet(writer.stagingErrors(runId).toString());
      Instant finished = Instant.now();
      writer.commit(
          new RunSummary(
              runId,
              "compaction of " + runs.size() + " runs",
              started.toString(),
              finished.toString(),
              featureRows + errorRows,
              featureRows + errorRows,
              0,
              featureRows,
              errorRows,
              (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0,
              0,
              runs));
    } catch (IOException | RuntimeException e) {
      writer.abort(runId);
      throw e;
    }
    return new Result(runId, runs.size(), featureRows, errorRows, files);
  }
}
