package dev.tltf.train.audit;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Seconds per stage of one audit, wall-clock and CPU (all threads of this JVM), for audit.json and
 * the printed summary. CPU seconds are there because this machine is often shared: a stage whose
 * wall time is far above its CPU time (over the cores it can use) waited for other processes, and
 * its CPU time is the figure that carries to an idle machine.
 */
final class StageClock {
  /** Stage names, in the order the audit runs them, as written to audit.json. */
  static final String READ = "read";

  static final String EXACT_DUPLICATES = "exactDuplicates";
  static final String NEIGHBOURS = "neighbours";
  static final String OUTLIERS = "outliers";
  static final String OUT_OF_FOLD_HEADS = "outOfFoldHeads";
  static final String REPORT = "report";

  private final Map<String, Double> wall = new LinkedHashMap<>();
  private final Map<String, Double> cpu = new LinkedHashMap<>();
  private long lastWall = System.nanoTime();
  private long lastCpu = processCpuNanos();

  /** Ends the stage running since the previous lap (or since construction). */
  void lap(String stage) {
    long nowWall = System.nanoTime();
    long nowCpu = processCpuNanos();
    wall.merge(stage, seconds(nowWall - lastWall), Double::sum);
    cpu.merge(stage, seconds(nowCpu - lastCpu), Double::sum);
    lastWall = nowWall;
    lastCpu = nowCpu;
  }

  /** Wall-clock seconds per stage, in stage order. */
  Map<String, Double> wall() {
    return Collections.unmodifiableMap(wall);
  }

  /** CPU seconds of this JVM per stage (0 when the JVM cannot measure them). */
  Map<String, Double> cpu() {
    return Collections.unmodifiableMap(cpu);
  }

  /** "read 1.2 s (CPU 2.0 s), …, total 9.8 s (CPU 15.1 s)". */
  static String describe(Map<String, Double> wall, Map<String, Double> cpu) {
    StringBuilder line = new StringBuilder();
    double wallTotal = 0;
    double cpuTotal = 0;
    for (Map.Entry<String, Double> stage : wall.entrySet()) {
      double cpuSeconds = cpu.getOrDefault(stage.getKey(), 0.0);
      line.append(
          String.format(
              Locale.ROOT,
              "%s %.1f s (CPU %.1f s), ",
              stage.getKey(),
              stage.getValue(),
              cpuSeconds));
      wallTotal += stage.getValue();
      cpuTotal += cpuSeconds;
    }
    return line.append(String.format(Locale.ROOT, "total %.1f s (CPU %.1f s)", wallTotal, cpuTotal))
        .toString();
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e7) / 100.0;
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }
}
