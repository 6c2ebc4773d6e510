package dev.tltf.train;

import dev.tltf.common.cli.InvalidInputException;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.data.Split;
import dev.tltf.train.model.HeadConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/train-head}: feature store + labels → head directory. */
@Command(name = "train-head", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = "Trains a softmax head on the cached vectors of a feature store; the backbone never runs.")
public final class TrainHeadCommand implements Callable<Integer> {
  @Option(names = "--features", required = true, paramLabel = "URI", description = "Feature store to train on.")
  String features;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Head directory to write.")
  String out;

  @Option(names = "--labels", paramLabel = "SOURCE",
      description = "Where labels come from: 'dirs' = each image's parent folder. Default: ${DEFAULT-VALUE}.")
  String labels;

  @Option(names = "--epochs", paramLabel = "N", description = "Maximum passes over the training split. "
      + "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--learning-rate", paramLabel = "X", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
  double learningRate;

  @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--l2", paramLabel = "X", description = "L2 regularisation. Default: ${DEFAULT-VALUE}.")
  double l2;

  @Option(names = "--patience", paramLabel = "N", description = "Stop after N epochs without a lower validation loss "
      + "(0 = never); the best epoch is kept. Default: ${DEFAULT-VALUE}.")
  int patience;

  @Option(names = "--train-percent", paramLabel = "P", description = "Share of images (by image_id hash) for "
      + "training. Default: ${DEFAULT-VALUE}.")
  int trainPercent;

  @Option(names = "--validation-percent", paramLabel = "P", description = "Share for validation; the rest is test. "
      + "Default: ${DEFAULT-VALUE}.")
  int validationPercent;

  @Option(names = "--seed", paramLabel = "N", description = "Seed for initialisation and shuffling. "
      + "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--top-k", paramLabel = "K", description = "k of the top-k accuracy in metrics.json. "
      + "Default: ${DEFAULT-VALUE}.")
  int topK;

  @Option(names = "--overwrite", description = "Replace an existing head directory at --out.")
  boolean overwrite;

  public static void main(String[] args) {
    JobMain.exit(new TrainHeadCommand(), args);
  }

  @Override
  public Integer call() throws Exception {
    InvalidInputException.check("dirs".equals(labels),
        "Invalid --labels: '%s' (allowed: 'dirs', the image's parent folder).", labels);
    InvalidInputException.check(topK >= 1, "Invalid --top-k: %d (must be ≥ 1).", topK);
    HeadConfig config = new HeadConfig(epochs, learningRate, batchSize, l2, seed, patience);
    Split split = new Split(trainPercent, validationPercent);
    try (SparkSessions.Handle spark = SparkSessions.getOrCreate("tltf train-head")) {
      HeadTraining.Summary summary = new HeadTraining(spark.session(), features, out, config, split, topK, overwrite)
          .run();
      System.out.print(summary.describe());
    }
    return JobMain.EXIT_OK;
  }
}
