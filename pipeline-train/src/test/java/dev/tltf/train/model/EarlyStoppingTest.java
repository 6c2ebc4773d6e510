package dev.tltf.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.train.model.HeadTrainer.EpochStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  private static EpochStats epoch(int epoch, double trainLoss, double validationLoss) {
    return new EpochStats(epoch, trainLoss, 0.5, validationLoss, 0.5);
  }

  @Test
  void stopsAfterPatienceEpochsWithoutALowerLossAndKeepsTheBest() {
    EarlyStopping<Integer> stopping = new EarlyStopping<>(2, true);
    double[] validation = {3.0, 2.0, 2.5, 2.0};
    List<Integer> snapshots = new ArrayList<>();
    boolean stopped = false;
    int epoch = 0;
    while (!stopped) {
      int e = ++epoch;
      stopped =
          stopping.stop(
              epoch(e, 9, validation[e - 1]),
              () -> {
                snapshots.add(e);
                return e;
              });
    }
    assertEquals(4, epoch, "epochs 3 and 4 are no lower than epoch 2 (an equal loss is none)");
    assertEquals(2, stopping.bestEpoch());
    assertEquals(List.of(1, 2), snapshots, "a snapshot only when the loss improves");
    int[] restored = {0};
    stopping.restore(best -> restored[0] = best);
    assertEquals(2, restored[0]);
    assertEquals(4, stopping.history().size());
  }

  @Test
  void withoutAValidationSplitTheTrainingLossIsWatchedAndPatienceZeroNeverStops() {
    EarlyStopping<Integer> stopping = new EarlyStopping<>(0, false);
    for (int e = 1; e <= 20; e++) {
      assertFalse(stopping.stop(epoch(e, e == 5 ? 0.1 : 1.0, Double.NaN), () -> 0));
    }
    assertEquals(5, stopping.bestEpoch());
    assertTrue(stopping.summary("t").startsWith("t: 20 epochs, kept epoch 5: train loss 0.1000"));
  }
}
