package dev.tltf.train;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.split.SplitOptions;
import dev.tltf.train.labels.LabelPolicy;
import dev.tltf.train.model.HeadConfig;
import dev.tltf.train.model.SolverConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/train-head}: feature store + labels → head directory (or a sweep of them). */
@Command(
    name = "train-head",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 110,
    description =
        "Trains a softmax head on the cached vectors of a feature store; the backbone never runs. "
            + "Several label files, learning rates or L2 values (comma-separated) train one head each: a sweep.")
public final class TrainHeadCommand implements Callable<Integer> {
  @Option(
      names = "--features",
      required = true,
      paramLabel = "URI",
      description = "Feature store to train on.")
  String features;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Head directory to write (a sweep: a directory of head directories and sweep.csv).")
  String out;

  @Option(
      names = "--labels",
      paramLabel = "SOURCES",
      description =
          "Where labels come from: 'dirs' (each image's "
              + "parent folder) or a CSV file with a header naming 'label' and 'path' or 'image_id' (any Hadoop URI); "
              + "comma-separated for a sweep. Default: ${DEFAULT-VALUE}.")
  String labels;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Maximum passes over the training split. " + "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(
      names = "--learning-rate",
      paramLabel = "X[,X…]",
      description = "Learning rate(s). Default: ${DEFAULT-VALUE}.")
  String learningRate;

  @Option(
      names = "--l2",
      paramLabel = "auto|X[,X…]",
      description =
          "L2 regularisation: 'auto' keeps the best on the "
              + "validation split (lbfgs: the path 1, 0.1, …, 1e-6, warm-started; sgd: 1e-4, 1e-3, 1e-2, 0.1); or value(s). "
              + "Default: ${DEFAULT-VALUE}.")
  String l2;

  @Option(
      names = "--solver",
      paramLabel = "auto|lbfgs|sgd",
      description =
          "lbfgs: full-batch L-BFGS to convergence "
              + "(heads without --hidden or --dropout); sgd: mini-batches (--optimizer, --learning-rate, --batch-size, "
              + "--epochs, --patience); auto: lbfgs where it applies. Default: ${DEFAULT-VALUE}.")
  SolverConfig.Solver solver;

  @Option(
      names = "--max-iterations",
      paramLabel = "N",
      description = "lbfgs: iterations at most per L2 value. " + "Default: ${DEFAULT-VALUE}.")
  int maxIterations;

  @Option(
      names = "--tolerance",
      paramLabel = "X",
      description =
          "lbfgs: stop when the gradient's norm is at most " + "this. Default: ${DEFAULT-VALUE}.")
  double tolerance;

  @Option(
      names = "--matrix-budget-mb",
      paramLabel = "MB",
      description =
          "lbfgs: keep the standardised training "
              + "vectors in memory (float32) when they fit in this many MiB, else stream them from disk each pass. "
              + "Default: ${DEFAULT-VALUE}.")
  long matrixBudgetMb;

  @Option(
      names = "--folds",
      paramLabel = "K",
      description =
          "lbfgs --l2 auto without a validation split: K-fold "
              + "cross-validation on the training split chooses L2. Default: ${DEFAULT-VALUE}.")
  int folds;

  @Option(
      names = "--verbose",
      description = "Log every iteration (lbfgs) or epoch (sgd), not one line per trial.")
  boolean verbose;

  @Option(
      names = "--optimizer",
      paramLabel = "NAME",
      description = "adam, rmsprop or sgd. Default: ${DEFAULT-VALUE}.")
  HeadConfig.Optimizer optimizer;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--hidden",
      paramLabel = "N",
      description = "Units of a hidden ReLU layer; 0 = none. " + "Default: ${DEFAULT-VALUE}.")
  int hidden;

  @Option(
      names = "--dropout",
      paramLabel = "P",
      description =
          "Dropout on the softmax layer's inputs; 0 = none. " + "Default: ${DEFAULT-VALUE}.")
  double dropout;

  @Option(
      names = "--class-weights",
      paramLabel = "MODE",
      description =
          "none, or balanced (rare classes weigh more "
              + "in the loss). Default: ${DEFAULT-VALUE}.")
  HeadConfig.ClassWeights classWeights;

  @Option(
      names = "--patience",
      paramLabel = "N",
      description =
          "Stop after N epochs without a lower validation loss "
              + "(0 = never); the best epoch is kept. Default: ${DEFAULT-VALUE}.")
  int patience;

  @Mixin SplitOptions split;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed for initialisation and shuffling. " + "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      description = "k of the top-k accuracy in metrics.json. " + "Default: ${DEFAULT-VALUE}.")
  int topK;

  @Option(
      names = "--min-examples",
      paramLabel = "N",
      description =
          "Classes with fewer labelled images are 'small'. " + "Default: ${DEFAULT-VALUE}.")
  int minExamples;

  @Option(
      names = "--on-unknown-key",
      paramLabel = "drop|fail",
      description = "Label rows naming no stored image. " + "Default: ${DEFAULT-VALUE}.")
  LabelPolicy.Action onUnknownKey;

  @Option(
      names = "--on-conflict",
      paramLabel = "drop|fail",
      description = "Keys listed with different labels. " + "Default: ${DEFAULT-VALUE}.")
  LabelPolicy.Action onConflict;

  @Option(
      names = "--on-unlabeled",
      paramLabel = "drop|fail",
      description = "Stored images without a label. " + "Default: ${DEFAULT-VALUE}.")
  LabelPolicy.Action onUnlabeled;

  @Option(
      names = "--on-small-class",
      paramLabel = "drop|fail",
      description = "Classes under --min-examples. " + "Default: ${DEFAULT-VALUE}.")
  LabelPolicy.Action onSmallClass;

  @Option(
      names = "--distributed",
      description =
          "Use the executors: lbfgs sums the loss over vectors cached there; "
              + "sgd trains with dl4j-spark (parameter averaging).")
  boolean distributed;

  @Option(
      names = "--exclude",
      paramLabel = "FILE.csv",
      description =
          "Leave out the images listed in a CSV file "
              + "with an 'image_id' or 'path' column (e.g. an audit's suspects.csv); its 'reason' column, if any, is counted "
              + "in metrics.json; 'none' leaves nothing out. Default: ${DEFAULT-VALUE}.")
  String exclude;

  @Option(names = "--overwrite", description = "Replace an existing head directory at --out.")
  boolean overwrite;

  public static void main(String[] args) {
    JobMain.exit(new TrainHeadCommand(), args);
  }

  @Override
  public Integer call() throws Exception {
    InvalidInputException.check(topK >= 1, "Invalid --top-k: %d (must be ≥ 1).", topK);
    List<String> sources = list(labels, "--labels");
    List<Double> rates = numbers(learningRate, "--learning-rate");
    List<Double> l2s = "auto".equalsIgnoreCase(l2.strip()) ? List.of() : numbers(l2, "--l2");
    HeadConfig config =
        new HeadConfig(
            epochs,
            rates.get(0),
            batchSize,
            l2s.isEmpty() ? 1e-4 : l2s.get(0),
            seed,
            patience,
            hidden,
            dropout,
            optimizer,
            classWeights);
    rates.forEach(config::withLearningRate); // each value of a sweep is validated before any work
    l2s.forEach(config::withL2);
    SolverConfig solving =
        new SolverConfig(solver, maxIterations, tolerance, matrixBudgetMb, folds, verbose);
    solving.resolve(config);
    HeadTraining.Request request =
        new HeadTraining.Request(
            features,
            out,
            sources,
            config,
            rates,
            l2s,
            split.split(),
            new LabelPolicy(onUnknownKey, onConflict, onUnlabeled, onSmallClass, minExamples),
            topK,
            overwrite,
            distributed,
            solving);
    try (SparkSessions.Handle spark = SparkSessions.getOrCreate("tltf train-head")) {
      List<HeadTraining.Outcome> outcomes =
          new HeadTraining(spark.session(), request)
              .excluding(dev.tltf.train.labels.Exclusions.read(spark.session(), exclude))
              .run();
      System.out.print(TrainingSummary.describe(outcomes, out));
      dev.tltf.common.store.RandomWeightsWarning.of(
              dev.tltf.common.store.FeatureStore.open(spark.session(), features).fingerprint())
          .ifPresent(System.out::println); // the summary's warning for heads on random weights
    }
    return JobMain.EXIT_OK;
  }

  private static List<String> list(String value, String flag) {
    List<String> items =
        Arrays.stream(value.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .distinct()
            .toList();
    InvalidInputException.check(!items.isEmpty(), "Invalid %s: empty.", flag);
    return items;
  }

  private static List<Double> numbers(String value, String flag) {
    return list(value, flag).stream()
        .map(
            item -> {
              try {
                return Double.parseDouble(item);
              } catch (NumberFormatException e) {
                throw new InvalidInputException(
                    String.format(
                        Locale.ROOT,
                        "Invalid %s: '%s' is not a number (give one or more, comma-separated).",
                        flag,
                        item));
              }
            })
        .toList();
  }
}
