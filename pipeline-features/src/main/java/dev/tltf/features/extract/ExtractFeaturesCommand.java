package dev.tltf.features.extract;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.store.RandomWeightsWarning;
import dev.tltf.common.store.RunCosts;
import dev.tltf.common.store.RunSummary;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.WeightsOptions;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.image.ResizeMethod;
import dev.tltf.features.vectors.ImageInputOptions;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/extract-features}: images → feature store. */
@Command(
    name = "extract-features",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 110,
    description =
        "Pushes every image once through the frozen InceptionV3 and stores its 2048-d avg_pool vector "
            + "in a Parquet feature store. Re-runs add only what is not stored yet.")
public final class ExtractFeaturesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--images",
      order = 10,
      required = true,
      paramLabel = "URI",
      description =
          "Images: a directory tree (class sub-folders), a glob, a manifest (.txt/.lst, one path per line) "
              + "or one file; local path or any Hadoop URI (hdfs://, s3a://).")
  String images;

  @Option(
      names = "--out",
      order = 20,
      required = true,
      paramLabel = "URI",
      description = "Feature store to create or add to, local path or any Hadoop URI.")
  String out;

  // order: the place on the help page, among the shared flags' (see PredictionOptions).
  @Mixin WeightsOptions weights;

  @Mixin ImageInputOptions input;

  @Option(
      names = "--image-size",
      order = 110,
      paramLabel = "PX",
      description = "Network input size in pixels (Keras: 299; ≥ 75). Default: ${DEFAULT-VALUE}.")
  int imageSize;

  @Option(
      names = "--resize",
      order = 120,
      paramLabel = "METHOD",
      description =
          "Resize method: bilinear (TensorFlow's) or nearest (Keras load_img's). Default: ${DEFAULT-VALUE}.")
  ResizeMethod resize;

  @Option(
      names = "--recursive",
      order = 230,
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "List images in sub-folders of --images too (class folders). Default: ${DEFAULT-VALUE}.")
  boolean recursive;

  @Option(
      names = "--limit",
      order = 240,
      paramLabel = "N",
      description =
          "Take only the first N listed files (sorted by path); 0 = all. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(
      names = "--progress-seconds",
      order = 250,
      paramLabel = "S",
      description =
          "Seconds between progress lines (images done, images/s, time left); 0 = none. "
              + "Default: ${DEFAULT-VALUE}.")
  int progressSeconds;

  @Option(
      names = "--overwrite",
      order = 310,
      description =
          "Replace an existing feature store at --out (of any backbone) with a "
              + "new one; without it, runs add to a store of the same backbone.")
  boolean overwrite;

  @Option(
      names = "--partitions",
      order = 320,
      paramLabel = "N",
      description =
          "Spark partitions for the forward pass; 0 picks 4 per core. Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Mixin LeaseOptions lease;

  @Option(
      names = "--auto-compact-percent",
      order = 340,
      paramLabel = "P",
      description =
          "After a run, compact the store when more than P %% of its rows are superseded (a later run "
              + "holds their path); 0 = never. Default: ${DEFAULT-VALUE}.")
  int autoCompactPercent;

  @Option(
      names = "--rehash",
      order = 410,
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "Read and hash every listed file. Without it, a file listed with the size and modification time "
              + "stored for its path keeps its stored image_id unread, so a file rewritten in place with the same size "
              + "and modification time is not seen. Default: ${DEFAULT-VALUE}.")
  boolean rehash;

  public static void main(String[] args) {
    JobMain.exit(new ExtractFeaturesCommand(), args);
  }

  @Override
  public Integer call() {
    ExtractSettings settings = settings();
    try (SparkSessions.Handle spark = SparkSessions.getOrCreate("tltf extract-features")) {
      RunSummary summary = new FeatureExtraction(spark.session(), settings).run();
      System.out.printf(
          Locale.ROOT,
          "extract-features: %d listed, %d already stored, %d computed, %d feature rows and %d error rows written "
              + "in %.1f s (%.2f images/s) to %s (run %s)%n",
          summary.listed(),
          summary.alreadyStored(),
          summary.computed(),
          summary.featureRows(),
          summary.errorRows(),
          summary.elapsedSeconds(),
          summary.imagesPerSecond(),
          out,
          summary.runId());
      RunCosts costs = summary.costs();
      System.out.printf(
          Locale.ROOT,
          "extract-features: %d files opened (%,d bytes read); %.1f s start-up, %.1f s listing, %.1f s hashing, "
              + "%.1f s computing, %.1f s committing%n",
          costs.filesOpened(),
          costs.bytesRead(),
          costs.startupSeconds(),
          costs.listingSeconds(),
          costs.hashingSeconds(),
          costs.computingSeconds(),
          costs.committingSeconds());
      // Beside the summary, not before the work: a run that stops on bad input says one sentence
      // only.
      RandomWeightsWarning.of(settings.backbone().fingerprint())
          .ifPresent(spec.commandLine().getErr()::println);
    }
    return JobMain.EXIT_OK;
  }

  ExtractSettings settings() {
    WeightsSource source = weights.resolve();
    return new ExtractSettings(
        images,
        out,
        new BackboneSpec(source, imageSize, resize, input.engine()),
        input.batchSize(),
        input.extensions(),
        input.limits(),
        partitions,
        recursive,
        limit,
        java.time.Duration.ofSeconds(progressSeconds),
        overwrite,
        lease.settings(),
        autoCompactPercent,
        rehash);
  }
}
