package dev.tltf.features.backbone;

import dev.tltf.common.cli.ConfSection;
import dev.tltf.common.error.InvalidInputException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The weights choice of every command that runs the backbone: a Keras weight file ({@code
 * --weights}, default in conf/) or seeded random weights ({@code --random-weights}), never both.
 * Defaults are {@code backbone.*} in conf/; {@code order} places the pair on help pages (see
 * PredictionOptions). The descriptions are extract-features' own; predict --images words them for a
 * head through its resource bundle (same keys).
 */
@ConfSection("backbone")
public final class WeightsOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--weights",
      order = 50,
      paramLabel = "FILE.h5",
      descriptionKey = "weights",
      description =
          "Keras InceptionV3 notop weight file (local or Hadoop URI). Default: ${DEFAULT-VALUE} "
              + "(bin/fetch-weights puts it there).")
  String weights;

  @Option(
      names = "--random-weights",
      order = 51,
      paramLabel = "SEED",
      descriptionKey = "random-weights",
      description =
          "Use seeded random weights instead of a weight file (tests, demos). Default: none.")
  Long randomWeights;

  /** The --weights value, given or configured (null when neither). */
  public String file() {
    return weights;
  }

  /** Whether --weights was on the command line (not only configured). */
  public boolean fileGiven() {
    return mixee.commandLine().getParseResult().hasMatchedOption("--weights");
  }

  /** The --random-weights seed, or null; fails when --weights is given too. */
  public Long seed() {
    InvalidInputException.check(
        !(fileGiven() && randomWeights != null),
        "Invalid flags: --weights and --random-weights exclude each other; give one.");
    return randomWeights;
  }

  /** The weights to compute features with: the seed's, or the weight file (read and hashed). */
  public WeightsSource resolve() {
    Long seed = seed();
    return seed != null
        ? new WeightsSource.Random(seed)
        : WeightsFiles.resolve(weights, fileGiven());
  }
}
