package dev.tltf.train.model;

import dev.tltf.train.model.HeadTrainer.EpochStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The epoch loop's bookkeeping, shared by the mini-batch trainers: the history, the epoch with the
 * lowest monitored loss (the validation loss, or the training loss without a validation split) and
 * a snapshot of its parameters, and when to stop: after {@code patience} epochs without a lower
 * loss (0 = never).
 *
 * @param <T> the snapshot of a network's parameters that is restored at the end
 */
final class EarlyStopping<T> {
  private final int patience;
  private final boolean monitorValidation;
  private final List<EpochStats> history = new ArrayList<>();
  private T best;
  private int bestEpoch;
  private double bestLoss = Double.POSITIVE_INFINITY;

  EarlyStopping(int patience, boolean monitorValidation) {
    this.patience = patience;
    this.monitorValidation = monitorValidation;
  }

  /**
   * Records an epoch; {@code snapshot} is taken only when its loss is the lowest so far. Returns
   * whether to stop: patience has run out.
   */
  boolean stop(EpochStats epoch, Supplier<T> snapshot) {
    history.add(epoch);
    double monitored = monitorValidation ? epoch.validationLoss() : epoch.trainLoss();
    if (monitored < bestLoss) {
      bestLoss = monitored;
      bestEpoch = epoch.epoch();
      best = snapshot.get();
      return false;
    }
    return patience > 0 && epoch.epoch() - bestEpoch >= patience;
  }

  List<EpochStats> history() {
    return history;
  }

  int bestEpoch() {
    return bestEpoch;
  }

  /** The snapshot of the best epoch (null when no epoch ran). */
  T best() {
    return best;
  }

  /** Hands the best epoch's snapshot to {@code network}, if an epoch ran. */
  void restore(Consumer<T> network) {
    if (best != null) {
      network.accept(best);
    }
  }

  /** The one log line of a trial: epochs run and the figures of the one kept. */
  String summary(String name) {
    EpochStats kept = history.get(bestEpoch - 1);
    return String.format(
        Locale.ROOT,
        "%s: %d epochs, kept epoch %d: train loss %.4f acc %.3f, validation loss %.4f acc %.3f",
        name,
        history.size(),
        bestEpoch,
        kept.trainLoss(),
        kept.trainAccuracy(),
        kept.validationLoss(),
        kept.validationAccuracy());
  }
}
