package dev.tltf.features.extract;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.cli.SparkSessions;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.store.RandomWeightsWarning;
import dev.tltf.common.store.RunCosts;
import dev.tltf.common.store.RunSummary;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.WeightsFiles;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.engine.ForwardEngine;
import dev.tltf.features.image.ResizeMethod;
import dev.tltf.features.listing.ImageListing;
import dev.tltf.features.vectors.DecodeLimits;
import java.util.Locale;
import java.util.Set;
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
      required = true,
      paramLabel = "URI",
      description =
          "Images: a directory tree (class sub-folders), a glob, a manifest (.txt/.lst, one path per line) "
              + "or one file; local path or any Hadoop URI (hdfs://, s3a://).")
  String images;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "URI",
      description = "Feature store to create or add to, local path or any Hadoop URI.")
  String out;

  @Option(
      names = "--weights",
      paramLabel = "FILE.h5",
      description =
          "Keras InceptionV3 notop weight file (local or Hadoop URI). Default: ${DEFAULT-VALUE} "
              + "(bin/fetch-weights puts it there).")
  String weights;

  @Option(
      names = "--random-weights",
      paramLabel = "SEED",
      description =
          "Use seeded random weights instead of a weight file (tests, demos). Default: none.")
  Long randomWeights;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--image-size",
      paramLabel = "PX",
      description = "Network input size in pixels (Keras: 299; ≥ 75). Default: ${DEFAULT-VALUE}.")
  int imageSize;

  @Option(
      names = "--resize",
      paramLabel = "METHOD",
      description =
          "Resize method: bilinear (TensorFlow's) or nearest (Keras load_img's). Default: ${DEFAULT-VALUE}.")
  ResizeMethod resize;

  @Option(
      names = "--extensions",
      paramLabel = "LIST",
      description = "File extensions to read, comma-separated. Default: ${DEFAULT-VALUE}.")
  String extensions;

  @Option(
      names = "--max-file-bytes",
      paramLabel = "N",
      description = "Larger files become error rows without being read. Default: ${DEFAULT-VALUE}.")
  long maxFileBytes;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      description =
          "Images whose header announces more pixels become error rows without being decoded. "
              + "Default: ${DEFAULT-VALUE}.")
  long maxPixels;

  @Option(
      names = "--recursive",
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "List images in sub-folders of --images too (class folders). Default: ${DEFAULT-VALUE}.")
  boolean recursive;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "Take only the first N listed files (sorted by path); 0 = all. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(
      names = "--progress-seconds",
      paramLabel = "S",
      description =
          "Seconds between progress lines (images done, images/s, time left); 0 = none. "
              + "Default: ${DEFAULT-VALUE}.")
  int progressSeconds;

  @Option(
      names = "--decode-timeout-seconds",
      paramLabel = "S",
      description =
          "Decoding one image longer than this is aborted; the image becomes an error row. "
              + "Default: ${DEFAULT-VALUE}.")
  double decodeTimeoutSeconds;

  @Option(
      names = "--overwrite",
      description =
          "Replace an existing feature store at --out (of any backbone) with a "
              + "new one; without it, runs add to a store of the same backbone.")
  boolean overwrite;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description =
          "Spark partitions for the forward pass; 0 picks 4 per core. Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Mixin LeaseOptions lease;

  @Option(
      names = "--auto-compact-percent",
      paramLabel = "P",
      description =
          "After a run, compact the store when more than P %% of its rows are superseded (a later run "
              + "holds their path); 0 = never. Default: ${DEFAULT-VALUE}.")
  int autoCompactPercent;

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description =
          "What runs the forward pass: onednn (the graph lowered to oneDNN primitives) or dl4j (DL4J's "
              + "own; the same vectors to float round-off). Default: ${DEFAULT-VALUE}.")
  ForwardEngine engine;

  @Option(
      names = "--rehash",
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
    boolean weightsGiven = spec.commandLine().getParseResult().hasMatchedOption("--weights");
    InvalidInputException.check(
        !(weightsGiven && randomWeights != null),
        "Invalid flags: --weights and --random-weights exclude each other; give one.");
    WeightsSource source =
        randomWeights != null
            ? new WeightsSource.Random(randomWeights)
            : WeightsFiles.resolve(weights, weightsGiven);
    Set<String> allowed = ImageListing.parseExtensions(extensions);
    return new ExtractSettings(
        images,
        out,
        new BackboneSpec(source, imageSize, resize, engine),
        batchSize,
        allowed,
        new DecodeLimits(
            maxFileBytes,
            maxPixels,
            java.time.Duration.ofMillis((long) (decodeTimeoutSeconds * 1000))),
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
