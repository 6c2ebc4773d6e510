package dev.tltf.features.extract;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.store.StoreLease;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.InceptionV3;
import dev.tltf.features.vectors.DecodeLimits;
import java.util.Set;

/** The resolved, validated settings of one feature run. */
record ExtractSettings(
    String images,
    String out,
    BackboneSpec backbone,
    int batchSize,
    Set<String> extensions,
    DecodeLimits limits,
    int partitions,
    boolean recursive,
    int limit,
    java.time.Duration progressInterval,
    boolean overwrite,
    StoreLease.Settings lease,
    int autoCompactPercent,
    boolean rehash) {

  public ExtractSettings {
    InvalidInputException.check(
        backbone.inputSize() >= InceptionV3.MIN_INPUT_SIZE && backbone.inputSize() <= 2048,
        "Invalid --image-size: %d (must be between %d and 2048).",
        backbone.inputSize(),
        InceptionV3.MIN_INPUT_SIZE);
    InvalidInputException.check(
        partitions >= 0,
        "Invalid --partitions: %d (must be 0 for automatic, or positive).",
        partitions);
    InvalidInputException.check(
        limit >= 0, "Invalid --limit: %d (must be 0 for no limit, or positive).", limit);
    InvalidInputException.check(
        !progressInterval.isNegative(),
        "Invalid --progress-seconds: %d (must be 0 for none, or positive).",
        progressInterval.toSeconds());
    InvalidInputException.check(
        autoCompactPercent >= 0 && autoCompactPercent <= 100,
        "Invalid --auto-compact-percent: %d (must be between 0 (never) and 100).",
        autoCompactPercent);
    extensions = Set.copyOf(extensions);
  }
}
