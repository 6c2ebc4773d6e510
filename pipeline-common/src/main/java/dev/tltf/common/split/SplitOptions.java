package dev.tltf.common.split;

import dev.tltf.common.cli.ConfSection;
import picocli.CommandLine.Option;

/**
 * The split flags of train-head and audit, one default for both ({@code split.*} in conf/): an
 * audit's leaks are pairs across the very split a head is trained on. {@link Split} checks them.
 * The descriptions are train-head's; audit words --train-percent through its resource bundle.
 */
@ConfSection("split")
public final class SplitOptions {
  @Option(
      names = "--train-percent",
      paramLabel = "P",
      descriptionKey = "train-percent",
      description =
          "Share of images (by image_id hash) for " + "training. Default: ${DEFAULT-VALUE}.")
  int trainPercent;

  @Option(
      names = "--validation-percent",
      paramLabel = "P",
      description = "Share for validation; the rest is test. " + "Default: ${DEFAULT-VALUE}.")
  int validationPercent;

  public Split split() {
    return new Split(trainPercent, validationPercent);
  }
}
