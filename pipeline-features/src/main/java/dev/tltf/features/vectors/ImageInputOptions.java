package dev.tltf.features.vectors;

import dev.tltf.common.cli.ConfSection;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.features.engine.ForwardEngine;
import dev.tltf.features.listing.ImageListing;
import java.time.Duration;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The flags of every command that reads images and runs the backbone on them (extract-features,
 * predict --images): which files, the per-image limits, the batch and the engine. Defaults are
 * {@code image-input.*} in conf/; the {@code order} values place them on help pages (see
 * PredictionOptions). The descriptions are extract-features' own; predict --images words some for
 * predictions through its resource bundle (same keys).
 */
@ConfSection("image-input")
public final class ImageInputOptions {
  @Option(
      names = "--batch-size",
      order = 100,
      paramLabel = "N",
      description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--extensions",
      order = 200,
      paramLabel = "LIST",
      descriptionKey = "extensions",
      description = "File extensions to read, comma-separated. Default: ${DEFAULT-VALUE}.")
  String extensions;

  @Option(
      names = "--max-file-bytes",
      order = 210,
      paramLabel = "N",
      descriptionKey = "max-file-bytes",
      description = "Larger files become error rows without being read. Default: ${DEFAULT-VALUE}.")
  long maxFileBytes;

  @Option(
      names = "--max-pixels",
      order = 220,
      paramLabel = "N",
      descriptionKey = "max-pixels",
      description =
          "Images whose header announces more pixels become error rows without being decoded. "
              + "Default: ${DEFAULT-VALUE}.")
  long maxPixels;

  @Option(
      names = "--decode-timeout-seconds",
      order = 300,
      paramLabel = "S",
      descriptionKey = "decode-timeout-seconds",
      description =
          "Decoding one image longer than this is aborted; the image becomes an error row. "
              + "Default: ${DEFAULT-VALUE}.")
  double decodeTimeoutSeconds;

  @Option(
      names = "--engine",
      order = 400,
      paramLabel = "ENGINE",
      description =
          "What runs the forward pass: onednn (the graph lowered to oneDNN primitives) or dl4j (DL4J's "
              + "own; the same vectors to float round-off). Default: ${DEFAULT-VALUE}.")
  ForwardEngine engine;

  public int batchSize() {
    InvalidInputException.check(
        batchSize >= 1 && batchSize <= 1024,
        "Invalid --batch-size: %d (must be between 1 and 1024).",
        batchSize);
    return batchSize;
  }

  /** The extensions listed as images, lower case without dots; never empty. */
  public Set<String> extensions() {
    Set<String> allowed = ImageListing.parseExtensions(extensions);
    InvalidInputException.check(
        !allowed.isEmpty(), "Invalid --extensions: empty (give at least one, e.g. jpg,png).");
    return allowed;
  }

  public DecodeLimits limits() {
    return new DecodeLimits(
        maxFileBytes, maxPixels, Duration.ofMillis((long) (decodeTimeoutSeconds * 1000)));
  }

  public ForwardEngine engine() {
    return engine;
  }
}
