package dev.tltf.features.predict;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.predict.PredictHelp;
import dev.tltf.common.predict.PredictionOptions;
import dev.tltf.common.predict.PredictionOutput;
import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.store.RandomWeightsWarning;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.HeadBackbones;
import dev.tltf.features.backbone.WeightsOptions;
import dev.tltf.features.vectors.ImageInputOptions;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/predict --images}: top-k labels for new images, through the backbone and the head. */
@Command(
    name = "predict-images",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 110,
    customSynopsis = {PredictHelp.FEATURES_MODE, "       " + PredictHelp.IMAGES_MODE},
    description = PredictHelp.DESCRIPTION,
    optionListHeading = "%nOptions (from new images):%n",
    footer = {PredictHelp.FEATURES_ONLY, PredictHelp.EXAMPLES},
    resourceBundle = "dev.tltf.features.predict.PredictImagesHelp")
public final class PredictImagesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // order: the place on the help page, among the shared flags' (see PredictionOptions).
  @Mixin PredictionOptions output;

  @Option(
      names = "--images",
      required = true,
      order = 20,
      paramLabel = "URI",
      description =
          "Images to classify (a directory " + "tree or one file), local or any Hadoop URI.")
  String images;

  @Mixin WeightsOptions weights;

  @Mixin ImageInputOptions input;

  public static void main(String[] args) {
    JobMain.exit(new PredictImagesCommand(), args);
  }

  @Override
  public Integer call() throws Exception {
    output.check();
    int batchSize = input.batchSize();
    Set<String> allowed = input.extensions();
    try (SparkSessions.Handle spark = SparkSessions.getOrCreate("tltf predict")) {
      Configuration conf = spark.session().sparkContext().hadoopConfiguration();
      Head model = HeadDirectory.load(output.head(), conf);
      checkRandomWeights(model);
      BackboneSpec backbone =
          HeadBackbones.forHead(model, output.head(), weights.file(), weights.fileGiven())
              .withEngine(input.engine());
      output.checkCanCreate(conf);
      RandomWeightsWarning.of(model.fingerprint()).ifPresent(spec.commandLine().getErr()::println);
      int k = output.k(model.labels().size());
      PredictionOutput.Counts counts =
          output.write(
              spark.session(),
              new ImagePredictions(spark.session(), backbone, input.limits(), batchSize)
                  .predict(images, allowed, model, k),
              k);
      System.out.printf(
          Locale.ROOT,
          "predict: %d images, %s%s%n",
          counts.predicted(),
          output.written(k),
          counts.failed() == 0
              ? ""
              : "; " + counts.failed() + " images could not be read (see their 'error')");
    }
    return JobMain.EXIT_OK;
  }

  /**
   * --random-weights SEED is accepted as extract-features takes it, and must name the head's own
   * seed.
   */
  private void checkRandomWeights(Head model) {
    Long seed = weights.seed();
    if (seed == null) {
      return;
    }
    String wanted = BackboneFingerprint.randomWeights(seed);
    InvalidInputException.check(
        wanted.equals(model.fingerprint().weights()),
        "Cannot use --random-weights %d with head %s: the head was trained on features of weights %s.",
        seed,
        output.head(),
        model.fingerprint().weights());
  }
}
