package dev.tltf.train.audit;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.split.SplitOptions;
import dev.tltf.train.model.HeadConfig;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/audit}: feature store + labels → an audit directory of duplicates, leaks, label
 * errors, outliers.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 110,
    description =
        "Audits a labelled image set from its cached vectors (the backbone never runs): exact and near "
            + "duplicates, near-duplicates across the train/validation/test split (leaks) or with different labels, "
            + "suspected label errors (k-fold out-of-fold heads + confident learning) and outliers. Writes audit.html "
            + "(with thumbnails), duplicates.csv, suspects.csv, outliers.csv and audit.json to --out.",
    resourceBundle = "dev.tltf.train.audit.AuditHelp")
public final class AuditCommand implements Callable<Integer> {
  @Option(
      names = "--features",
      required = true,
      paramLabel = "URI",
      description = "Feature store to audit.")
  String features;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Audit directory to write.")
  String out;

  @Option(
      names = "--labels",
      paramLabel = "SOURCE",
      description =
          "'dirs' (each image's parent folder) or a CSV "
              + "file with a header naming 'label' and 'path' or 'image_id'. Default: ${DEFAULT-VALUE}.")
  String labels;

  @Option(
      names = "--images",
      paramLabel = "URI",
      description =
          "Root the stored paths are relative to, for the "
              + "report's thumbnails. Default: the --images of the store's latest run.")
  String images;

  @Option(
      names = "--folds",
      paramLabel = "K",
      description =
          "Folds of the out-of-fold probabilities (k heads). " + "Default: ${DEFAULT-VALUE}.")
  int folds;

  @Option(
      names = "--near-duplicate-ratio",
      paramLabel = "R",
      description =
          "Two images are near-duplicates when "
              + "their distance is at most R times the store's median nearest-neighbour distance (relative, since absolute "
              + "cosines differ between backbones). Default: ${DEFAULT-VALUE}.")
  double nearRatio;

  @Option(
      names = "--outlier-ratio",
      paramLabel = "R",
      description =
          "An image is an outlier when it is R times "
              + "farther than usual both from its own class (nearest image of the class vs the class's median) and from "
              + "everything (nearest image vs the store's median). Default: ${DEFAULT-VALUE}.")
  double outlierRatio;

  @Option(
      names = "--neighbours",
      paramLabel = "K",
      description =
          "Nearest neighbours kept per image; near-duplicate "
              + "pairs come from these. Default: ${DEFAULT-VALUE}.")
  int neighbours;

  @Option(
      names = "--block-rows",
      paramLabel = "N",
      description =
          "Images per block of the all-pairs search (memory "
              + "≈ 2 blocks of vectors + a block × block product). Default: ${DEFAULT-VALUE}.")
  int blockRows;

  @Option(
      names = "--distributed-above",
      paramLabel = "N",
      description =
          "From this many distinct images on, the "
              + "all-pairs search runs on the executors, unless the master is local (its executors are the "
              + "driver's own cores); 0 = always. Default: ${DEFAULT-VALUE}.")
  long distributedAbove;

  @Option(
      names = "--report-limit",
      paramLabel = "N",
      description =
          "Rows shown per section of audit.html (the CSV "
              + "files hold all). Default: ${DEFAULT-VALUE}.")
  int reportLimit;

  @Mixin SplitOptions split;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Heads: maximum epochs. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(
      names = "--learning-rate",
      paramLabel = "X",
      description = "Heads: learning rate. Default: ${DEFAULT-VALUE}.")
  double learningRate;

  @Option(
      names = "--l2",
      paramLabel = "X",
      description = "Heads: L2 regularisation. Default: ${DEFAULT-VALUE}.")
  double l2;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Heads: mini-batch size. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--patience",
      paramLabel = "N",
      description = "Heads: early-stopping patience. " + "Default: ${DEFAULT-VALUE}.")
  int patience;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Heads: seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--overwrite", description = "Replace an existing audit directory at --out.")
  boolean overwrite;

  public static void main(String[] args) {
    JobMain.exit(new AuditCommand(), args);
  }

  @Override
  public Integer call() throws Exception {
    HeadConfig head = HeadConfig.softmax(epochs, learningRate, batchSize, l2, seed, patience);
    AuditRequest request =
        new AuditRequest(
            features,
            out,
            labels.strip(),
            images,
            split.split(),
            folds,
            neighbours,
            nearRatio,
            outlierRatio,
            blockRows,
            distributedAbove,
            head,
            reportLimit,
            overwrite);
    try (SparkSessions.Handle spark = SparkSessions.getOrCreate("tltf audit")) {
      AuditFindings findings = new Audit(spark.session(), request).run();
      System.out.print(describe(findings));
    }
    return JobMain.EXIT_OK;
  }

  private String describe(AuditFindings f) {
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> counts =
        (java.util.Map<String, Object>) AuditTables.summary(f).get("counts");
    return String.format(
        Locale.ROOT,
        "audit: %s paths, %s distinct images, %s classes%n"
            + "exact duplicates: %s image_ids under several paths (%s with different labels)%n"
            + "near-duplicates: %s pairs (%s across splits: %s; %s with different labels)%n"
            + "suspected label errors: %s of %s train + validation images%noutliers: %s%n"
            + "seconds per stage: %s%n"
            + "audit written to %s (audit.html, duplicates.csv, suspects.csv, outliers.csv, audit.json)%n",
        counts.get("paths"),
        counts.get("images"),
        counts.get("classes"),
        counts.get("exactDuplicateGroups"),
        counts.get("exactDuplicateConflicts"),
        counts.get("nearDuplicatePairs"),
        counts.get("leaks"),
        f.near().leaksBySplits(f.set()),
        counts.get("nearDuplicateConflicts"),
        counts.get("suspects"),
        counts.get("labelErrorExamples"),
        counts.get("outliers"),
        StageClock.describe(f.seconds(), f.cpuSeconds()),
        out);
  }
}
