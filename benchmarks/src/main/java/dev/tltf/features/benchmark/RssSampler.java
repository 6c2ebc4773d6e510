package dev.tltf.features.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples a process's resident set size (VmRSS in /proc/PID/status) on a daemon thread every {@code
 * periodMillis}, until the process ends: the feature job's footprint over a run, heap and native
 * buffers together.
 */
final class RssSampler {
  /** One sample: seconds since sampling started, resident megabytes. */
  record Sample(double seconds, double megabytes) {}

  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;

  private RssSampler(ProcessHandle process, long periodMillis) {
    long start = System.nanoTime();
    this.thread =
        new Thread(
            () -> {
              Path status = Path.of("/proc/" + process.pid() + "/status");
              while (process.isAlive()) {
                double rss = residentMegabytes(status);
                if (rss > 0) {
                  synchronized (samples) {
                    samples.add(new Sample((System.nanoTime() - start) / 1e9, rss));
                  }
                }
                try {
                  Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "rss-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  static RssSampler start(ProcessHandle process, long periodMillis) {
    return new RssSampler(process, periodMillis);
  }

  List<Sample> samples() throws InterruptedException {
    thread.join();
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  private static double residentMegabytes(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between the check and the read
    }
    return 0;
  }
}
