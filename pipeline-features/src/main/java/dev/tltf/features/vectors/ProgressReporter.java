package dev.tltf.features.vectors;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the forward pass's progress on the driver at a fixed interval: images done of total, images
 * per second and the time left. Executors count images in a Spark accumulator, which reaches the
 * driver as each task ends, so tasks are kept small (see {@link ImageVectors#compute}). Lines go to
 * the {@code dev.tltf} logger, which conf/ keeps visible while Spark's own logs stay at WARN; on a
 * cluster they are in the driver's log.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final LongAccumulator done;
  private final long total;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private long lastReported = -1;

  public ProgressReporter(LongAccumulator done, long total, Duration interval) {
    this.done = done;
    this.total = total;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "tltf-progress");
              thread.setDaemon(true);
              return thread;
            });
    if (total > 0 && !interval.isZero()) {
      // Stopped by close() shutting the timer down; the future has nothing else to say.
      var unused =
          timer.scheduleAtFixedRate(
              this::report, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void report() {
    long now = done.value();
    if (now == lastReported) {
      return;
    }
    lastReported = now;
    LOG.info(describe(now, total, (System.nanoTime() - startNanos) / 1e9));
  }

  /** "120 / 1,000 images (12.0 %), 3.10 images/s, about 4m 44s left" */
  public static String describe(long done, long total, double seconds) {
    double rate = seconds > 0 ? done / seconds : 0;
    String left =
        rate > 0
            ? "about " + duration((long) Math.ceil((total - done) / rate)) + " left"
            : "time left unknown";
    return String.format(
        Locale.ROOT,
        "progress: %,d / %,d images (%.1f %%), %.2f images/s, %s",
        done,
        total,
        100.0 * done / Math.max(1, total),
        rate,
        left);
  }

  public static String duration(long seconds) {
    if (seconds >= 3600) {
      return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
    }
    return seconds >= 60
        ? String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60)
        : seconds + "s";
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
