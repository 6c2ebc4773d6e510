package dev.tltf.features.extract;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreWriter;
import dev.tltf.common.store.StoreCompaction;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/compact-features}: {@link StoreCompaction} on demand. */
@Command(
    name = "compact-features",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 110,
    description =
        "Merges the runs of a feature store into one (the current row of each path), in large files.")
public final class CompactStoreCommand implements Callable<Integer> {
  @Option(
      names = "--store",
      required = true,
      paramLabel = "URI",
      description = "Feature store to compact.")
  String store;

  @Mixin LeaseOptions lease;

  public static void main(String[] args) {
    JobMain.exit(new CompactStoreCommand(), args);
  }

  @Override
  public Integer call() throws Exception {
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("tltf compact-features")) {
      SparkSession spark = handle.session();
      FeatureStore before = FeatureStore.open(spark, store);
      StoreCompaction.Result done;
      try (FeatureStoreWriter writer =
          FeatureStoreWriter.openOrCreate(
              store,
              before.fingerprint(),
              spark.sparkContext().hadoopConfiguration(),
              lease.settings(),
              FeatureStoreWriter.newCompactionId(),
              "compact-features")) {
        FeatureStore current = FeatureStore.open(spark, store); // after recovery
        if (current.committedRuns().size() <= 1) {
          System.out.printf(
              "compact-features: %s has %d run; nothing to compact%n",
              store, current.committedRuns().size());
          return JobMain.EXIT_OK;
        }
        done = StoreCompaction.compact(spark, current, writer);
      }
      System.out.printf(
          Locale.ROOT,
          "compact-features: %d runs merged into run %s: %d feature rows in %d files, "
              + "%d error rows%n",
          done.runsMerged(),
          done.runId(),
          done.featureRows(),
          done.files(),
          done.errorRows());
    }
    return JobMain.EXIT_OK;
  }
}
