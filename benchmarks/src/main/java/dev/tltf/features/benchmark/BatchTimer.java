package dev.tltf.features.benchmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times repeated runs of one batch: {@code warmUp} untimed runs (JIT, oneDNN primitive creation,
 * workspaces), then timed runs until both {@code minRuns} runs and {@code seconds} have passed. The
 * median run is the figure reported: this machine is shared and noisy, and a median ignores the odd
 * run that lost its cores.
 */
final class BatchTimer {
  /** The median and the best of {@code runs} timed runs, in seconds. */
  record Timing(double median, double best, int runs) {
    static Timing of(List<Double> sortedSeconds) {
      return new Timing(
          sortedSeconds.get(sortedSeconds.size() / 2), sortedSeconds.get(0), sortedSeconds.size());
    }
  }

  private final int minRuns;

  BatchTimer(int minRuns) {
    this.minRuns = minRuns;
  }

  Timing time(Runnable run, double seconds, int warmUp) {
    for (int i = 0; i < warmUp; i++) {
      run.run();
    }
    List<Double> times = new ArrayList<>();
    long start = System.nanoTime();
    while (times.size() < minRuns || (System.nanoTime() - start) / 1e9 < seconds) {
      long t0 = System.nanoTime();
      run.run();
      times.add((System.nanoTime() - t0) / 1e9);
    }
    Collections.sort(times);
    return Timing.of(times);
  }
}
