package dev.tltf.features.predict;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.predict.PredictHelp;
import dev.tltf.common.predict.PredictionOutput;
import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.store.RandomWeightsWarning;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.HeadBackbones;
import dev.tltf.features.engine.ForwardEngine;
import dev.tltf.features.listing.ImageListing;
import dev.tltf.features.vectors.DecodeLimits;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
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
    footer = {PredictHelp.FEATURES_ONLY, PredictHelp.EXAMPLES})
public final class PredictImagesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--head",
      required = true,
      paramLabel = "DIR",
      description = "Head directory (from train-head).")
  String head;

  @Option(
      names = "--images",
      required = true,
      paramLabel = "URI",
      description =
          "Images to classify (a directory " + "tree or one file), local or any Hadoop URI.")
  String images;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "URI",
      description =
          "Where to write the predictions: a "
              + "directory for Parquet, one file for CSV (e.g. predictions.csv).")
  String out;

  @Option(
      names = "--weights",
      paramLabel = "FILE.h5",
      description =
          "The weight file the head's features came from "
              + "(checked by SHA-256; not needed for heads on random weights). Default: ${DEFAULT-VALUE}.")
  String weights;

  @Option(
      names = "--random-weights",
      paramLabel = "SEED",
      description =
          "The seeded random weights the head's "
              + "features came from (tests, demos; must be the head's seed; optional, the head knows it). Default: none.")
  Long randomWeights;

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

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--extensions",
      paramLabel = "LIST",
      description = "File extensions to read. " + "Default: ${DEFAULT-VALUE}.")
  String extensions;

  @Option(
      names = "--max-file-bytes",
      paramLabel = "N",
      description =
          "Larger files get an error instead of a " + "prediction. Default: ${DEFAULT-VALUE}.")
  long maxFileBytes;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      description = "Images announcing more pixels get an error. " + "Default: ${DEFAULT-VALUE}.")
  long maxPixels;

  @Option(
      names = "--decode-timeout-seconds",
      paramLabel = "S",
      description =
          "Decoding one image longer than this is "
              + "aborted; the image gets an error. Default: ${DEFAULT-VALUE}.")
  double decodeTimeoutSeconds;

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description =
          "What runs the forward pass: onednn (the graph lowered to oneDNN primitives) or dl4j (DL4J's "
              + "own; the same vectors to float round-off). Default: ${DEFAULT-VALUE}.")
  ForwardEngine engine;

  @Option(names = "--overwrite", description = "Replace existing predictions at --out.")
  boolean overwrite;

  public static void main(String[] args) {
    JobMain.exit(new PredictImagesCommand(), args);
  }

  @Override
  public Integer call() throws Exception {
    InvalidInputException.check(topK >= 1, "Invalid --top-k: %d (must be ≥ 1).", topK);
    InvalidInputException.check(
        batchSize >= 1 && batchSize <= 1024,
        "Invalid --batch-size: %d (must be between 1 and 1024).",
        batchSize);
    Set<String> allowed = ImageListing.parseExtensions(extensions);
    InvalidInputException.check(
        !allowed.isEmpty(), "Invalid --extensions: empty (give at least one, e.g. jpg,png).");
    try (SparkSessions.Handle spark = SparkSessions.getOrCreate("tltf predict")) {
      Configuration conf = spark.session().sparkContext().hadoopConfiguration();
      Head model = HeadDirectory.load(head, conf);
      boolean weightsGiven = spec.commandLine().getParseResult().hasMatchedOption("--weights");
      checkRandomWeights(model, weightsGiven);
      BackboneSpec backbone =
          HeadBackbones.forHead(model, head, weights, weightsGiven).withEngine(engine);
      PredictionOutput.checkCanCreate(out, overwrite, conf);
      RandomWeightsWarning.of(model.fingerprint()).ifPresent(spec.commandLine().getErr()::println);
      int k = Math.min(topK, model.labels().size());
      PredictionOutput.Counts counts =
          PredictionOutput.write(
              spark.session(),
              new ImagePredictions(
                      spark.session(),
                      backbone,
                      new DecodeLimits(
                          maxFileBytes,
                          maxPixels,
                          java.time.Duration.ofMillis((long) (decodeTimeoutSeconds * 1000))),
                      batchSize)
                  .predict(images, allowed, model, k),
              k,
              format,
              out,
              overwrite);
      System.out.printf(
          Locale.ROOT,
          "predict: %d images, top-%d labels written to %s (%s)%s%n",
          counts.predicted(),
          k,
          out,
          PredictionOutput.describe(format),
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
  private void checkRandomWeights(Head model, boolean weightsGiven) {
    if (randomWeights == null) {
      return;
    }
    InvalidInputException.check(
        !weightsGiven,
        "Invalid flags: --weights and --random-weights exclude each other; give one.");
    String wanted = BackboneFingerprint.randomWeights(randomWeights);
    InvalidInputException.check(
        wanted.equals(model.fingerprint().weights()),
        "Cannot use --random-weights %d with head %s: the head was trained on features of weights %s.",
        randomWeights,
        head,
        model.fingerprint().weights());
  }
}
