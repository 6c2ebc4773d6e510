package dev.tltf.features.job;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.common.store.FeatureStoreWriter;
import dev.tltf.common.store.RunSummary;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/compact-features}: rewrites the current view of a store (one row per path, the latest) as a single run
 * with files of about {@value #TARGET_FILE_BYTES} bytes, committed like any run; the runs it replaces are dropped.
 * Computes nothing.
 */
@Command(name = "compact-features", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = "Merges the runs of a feature store into one (the current row of each path), in large files.")
public final class CompactStoreCommand implements Callable<Integer> {
  static final long TARGET_FILE_BYTES = 128L << 20;

  @Option(names = "--store", required = true, paramLabel = "URI", description = "Feature store to compact.")
  String store;

  public static void main(String[] args) {
    JobMain.exit(new CompactStoreCommand(), args);
  }

  @Override
  public Integer call() throws Exception {
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("tltf compact-features")) {
      SparkSession spark = handle.session();
      FeatureStore before = FeatureStore.open(spark, store);
      FeatureStoreWriter writer = FeatureStoreWriter.openOrCreate(store, before.fingerprint(),
          spark.sparkContext().hadoopConfiguration());
      FeatureStore current = FeatureStore.open(spark, store); // after recovery
      if (current.committedRuns().size() <= 1) {
        System.out.printf("compact-features: %s has %d run; nothing to compact%n", store,
            current.committedRuns().size());
        return JobMain.EXIT_OK;
      }
      Instant started = Instant.now();
      String runId = FeatureStoreWriter.newCompactionId();
      Dataset<Row> features = current.features().drop(FeatureStoreSchema.RUN);
      Dataset<Row> errors = current.errors().drop(FeatureStoreSchema.RUN);
      long featureRows = features.count();
      long errorRows = errors.count();
      long bytes = featureRows * (current.fingerprint().dimension() * 4L + 200);
      int files = (int) Math.max(1, Math.min(10_000, (bytes + TARGET_FILE_BYTES - 1) / TARGET_FILE_BYTES));
      try {
        features.repartition(files).write().parquet(writer.stagingFeatures(runId).toString());
        errors.coalesce(1).write().parquet(writer.stagingErrors(runId).toString());
        Instant finished = Instant.now();
        writer.commit(new RunSummary(runId, "compaction of " + current.committedRuns().size() + " runs",
            started.toString(), finished.toString(), featureRows + errorRows, featureRows + errorRows, 0, featureRows,
            errorRows, (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0, 0, current.committedRuns()));
      } catch (RuntimeException e) {
        writer.abort(runId);
        throw e;
      }
      System.out.printf(Locale.ROOT, "compact-features: %d runs merged into run %s: %d feature rows in %d files, "
          + "%d error rows%n", current.committedRuns().size(), runId, featureRows, files, errorRows);
    }
    return JobMain.EXIT_OK;
  }
}
