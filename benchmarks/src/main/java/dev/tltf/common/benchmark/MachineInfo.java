package dev.tltf.common.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the benchmark report says about the machine, from /proc (Linux only, like the natives we
 * ship).
 */
final class MachineInfo {
  private MachineInfo() {}

  static String cpuModel() {
    return cpuinfo("model name");
  }

  /** The vector instruction sets that matter for float32 GEMM. */
  static String vectorFlags() {
    List<String> flags = List.of(cpuinfo("flags").split(" "));
    return String.join(
        ", ", List.of("avx2", "fma", "avx512f").stream().filter(flags::contains).toList());
  }

  static String memoryGigabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return String.format(
              Locale.ROOT, "%.0f", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  private static String cpuinfo(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}
