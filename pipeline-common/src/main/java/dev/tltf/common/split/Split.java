package dev.tltf.common.split;

import dev.tltf.common.error.InvalidInputException;
import java.util.Locale;

/**
 * The stable train / validation / test split: an image's set is decided by its {@code image_id}
 * (the SHA-256 of its bytes) alone, so adding images never moves old ones between sets, and
 * identical bytes always land in the same set. The first 8 hex digits of the id give a uniform
 * bucket in [0, 10000).
 */
public record Split(int trainPercent, int validationPercent) {
  public enum Part {
    TRAIN,
    VALIDATION,
    TEST;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Split {
    InvalidInputException.check(
        trainPercent > 0 && trainPercent <= 100,
        "Invalid --train-percent: %d (must be between 1 and 100).",
        trainPercent);
    InvalidInputException.check(
        validationPercent >= 0 && trainPercent + validationPercent <= 100,
        "Invalid --validation-percent: %d (must be between 0 and %d, so that train + validation ≤ 100).",
        validationPercent,
        100 - trainPercent);
  }

  public int testPercent() {
    return 100 - trainPercent - validationPercent;
  }

  public Part partOf(String imageId) {
    int bucket = (int) (Long.parseLong(imageId.substring(0, 8), 16) % 10_000);
    if (bucket < trainPercent * 100) {
      return Part.TRAIN;
    }
    return bucket < (trainPercent + validationPercent) * 100 ? Part.VALIDATION : Part.TEST;
  }
}
