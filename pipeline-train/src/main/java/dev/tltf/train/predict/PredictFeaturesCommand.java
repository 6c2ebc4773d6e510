package dev.tltf.train.predict;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.head.PortableHead;
import dev.tltf.common.predict.PredictHelp;
import dev.tltf.common.predict.PredictionOptions;
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
import picocli.CommandLine.Mixin;
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
  // order: the place on the help page, among the shared flags' (see PredictionOptions).
  @Mixin PredictionOptions output;

  @Option(
      names = "--features",
      required = true,
      order = 20,
      paramLabel = "URI",
      description = "Feature store whose vectors to predict.")
  String features;

  public static void main(String[] args) {
    JobMain.exit(new PredictFeaturesCommand(), args);
  }

  @Override
  public Integer call() throws Exception {
    output.check();
    try (SparkSessions.Handle handle = SparkSessions.getOrCreate("tltf predict")) {
      SparkSession spark = handle.session();
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      Head model = HeadDirectory.load(output.head(), conf);
      FeatureStore store = FeatureStore.open(spark, features);
      store.requireFingerprint(model.fingerprint(), "head " + output.head());
      output.checkCanCreate(conf);
      int k = output.k(model.labels().size());
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
      PredictionOutput.Counts counts = output.write(spark, predictions, k);
      System.out.printf(
          Locale.ROOT, "predict: %d images, %s%n", counts.predicted(), output.written(k));
    }
    return JobMain.EXIT_OK;
  }
}
