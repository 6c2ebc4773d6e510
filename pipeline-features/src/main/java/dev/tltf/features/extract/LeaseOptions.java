package dev.tltf.features.extract;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.store.StoreLease;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The flags of every command that writes to a feature store: how it treats another writer's lease.
 * {@code order} places them on extract-features' help page (see PredictionOptions).
 */
final class LeaseOptions {
  @Option(
      names = "--wait-for-lock",
      order = 330,
      paramLabel = "SECONDS",
      description =
          "When another writer holds the store, wait up to this long for it to finish instead of failing "
              + "at once; 0 = fail at once. Default: ${DEFAULT-VALUE}.")
  long waitForLockSeconds;

  @Option(
      names = "--lease-timeout-seconds",
      order = 331,
      paramLabel = "S",
      description =
          "A writer renews its lease every S/4 seconds; a lease not renewed for S seconds belongs to a dead "
              + "writer and is broken. Default: ${DEFAULT-VALUE}.")
  long leaseTimeoutSeconds;

  StoreLease.Settings settings() {
    InvalidInputException.check(
        waitForLockSeconds >= 0,
        "Invalid --wait-for-lock: %d (must be 0 for not waiting, or a number of seconds).",
        waitForLockSeconds);
    InvalidInputException.check(
        leaseTimeoutSeconds >= 1,
        "Invalid --lease-timeout-seconds: %d (must be at least 1).",
        leaseTimeoutSeconds);
    return new StoreLease.Settings(
        Duration.ofSeconds(waitForLockSeconds), Duration.ofSeconds(leaseTimeoutSeconds));
  }
}
