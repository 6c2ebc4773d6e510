package dev.tltf.features.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many cores other processes kept busy while a measurement ran: all busy CPU time (/proc/stat)
 * minus that of the benchmark's own processes (/proc/PID/stat), over the wall time. This machine is
 * shared, so the report prints it next to every figure it affects; near 0 means the numbers are the
 * machine's, near 1 on 2 cores means they are roughly half of it.
 */
public final class ForeignLoad {
  private final List<Long> pids;
  private final long startBusy;
  private final long startOwn;
  private final long startNanos;

  private ForeignLoad(List<Long> pids) {
    this.pids = pids;
    this.startBusy = machineBusyTicks();
    this.startOwn = ownTicks(pids);
    this.startNanos = System.nanoTime();
  }

  public static ForeignLoad start(List<Long> pids) {
    return new ForeignLoad(pids);
  }

  /** Average cores used by other processes since {@link #start}. */
  public double cores() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long foreign = (machineBusyTicks() - startBusy) - (ownTicks(pids) - startOwn);
    return Math.max(0, foreign / TICKS_PER_SECOND / seconds);
  }

  /** USER_HZ: 100 on every Linux this runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private static long machineBusyTicks() {
    String[] f = firstLine(Path.of("/proc/stat")).trim().split("\\s+", -1);
    // cpu user nice system idle iowait irq softirq steal ...
    return Long.parseLong(f[1])
        + Long.parseLong(f[2])
        + Long.parseLong(f[3])
        + Long.parseLong(f[6])
        + Long.parseLong(f[7])
        + Long.parseLong(f[8]);
  }

  private static long ownTicks(List<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      String line = firstLine(Path.of("/proc/" + pid + "/stat"));
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ", -1);
      total += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }
    return total;
  }

  private static String firstLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.isEmpty() ? "" : lines.get(0);
    } catch (IOException e) {
      return "";
    }
  }
}
