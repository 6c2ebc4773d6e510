package dev.tltf.train.predict;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.head.PortableHead;
import dev.tltf.common.predict.PredictHelp;
import dev.tltf.common.predict.PredictionOutput;
import dev.tltf.common.predict.PredictionRows;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/predict --features}: top-k labels for every vector of a feature store; the backbone
 * never runs.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 110,
    customSynopsis = {PredictHelp.FEATURES_MODE, "       " + PredictHelp.IMAGES_MODE},
    description = PredictHelp.DESCRIPTION,
    optionListHeading = "%nOptions (from cached vectors):%n",
    footer = {PredictHelp.IMAGES_ONLY, PredictHelp.EXAMPLES})
public final class PredictFeaturesCommand implements Callable<Integer> {
  @Option(
      names = "--head",
      required = true,
      paramLabel = "DIR",
      description = "Head directory (from train-head).")
  String head;

  @Option(
      names = "--features",
      required = true,
      paramLabel = "URI",
      description = "Feature store whose vectors to predict.")
  String features;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "URI",
      description =
          "Where to write the predictions: a "
              + "directory for Parquet, one file for CSV (e.g. predictions.csv).")
  String out;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      description = "Labels per image, best first. Default: ${DEFAULT-VALUE}.")
  int topK;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "parquet (top_k as a list) or csv (label_1, "
              + "probability_1, …). Default: ${DEFAULT-VALUE}.")
  PredictionOutput.Format format;

  @Option(names = "--overwrite", description = "Replace existing predictions at --out.")
  boolean overwrite;

  public static void main(String[] args) {
    JobMain.exit(new PredictFeaturesCommand(), args);
  }

  @Override
  public Integer call() throws Exception {
    InvalidInputException.check(topK >= 1, "Invalid --top-k: %d (must be ≥ 1).", topK);
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("tltf predict")) {
      SparkSession spark = handle.session();
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      Head model = HeadDirectory.load(head, conf);
      FeatureStore store = FeatureStore.open(spark, features);
      store.requireFingerprint(model.fingerprint(), "head " + head);
      PredictionOutput.checkCanCreate(out, overwrite, conf);
      int k = Math.min(topK, model.labels().size());
      Dataset<Row> vectors =
          store
              .features()
              .select(
                  FeatureStoreSchema.PATH,
                  FeatureStoreSchema.IMAGE_ID,
                  FeatureStoreSchema.FEATURES);
      Dataset<Row> predictions =
          spark.createDataFrame(
              vectors.javaRDD().mapPartitions(new PredictionRows(PortableHead.of(model), k)),
              PredictionRows.SCHEMA);
      PredictionOutput.Counts counts =
          PredictionOutput.write(spark, predictions, k, format, out, overwrite);
      System.out.printf(
          Locale.ROOT,
          "predict: %d images, top-%d labels written to %s (%s)%n",
          counts.predicted(),
          k,
          out,
          PredictionOutput.describe(format));
    }
    return JobMain.EXIT_OK;
  }
}
