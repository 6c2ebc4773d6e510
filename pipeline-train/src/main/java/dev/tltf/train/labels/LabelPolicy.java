package dev.tltf.train.labels;

import dev.tltf.common.error.InvalidInputException;

/**
 * What to do with each kind of label problem: drop the rows concerned (with a warning and a count)
 * or fail before training. Defaults (conf/): fail on conflicting labels and on classes smaller than
 * {@code minExamples}; drop label rows whose image is not in the store and images without a label.
 */
public record LabelPolicy(
    Action unknownKey, Action conflict, Action unlabeled, Action smallClass, int minExamples) {
  /** Drop the rows concerned, or fail. */
  public enum Action {
    DROP,
    FAIL
  }

  public LabelPolicy {
    InvalidInputException.check(
        minExamples >= 1, "Invalid --min-examples: %d (must be ≥ 1).", minExamples);
  }
}
