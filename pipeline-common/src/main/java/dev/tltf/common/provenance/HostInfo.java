package dev.tltf.common.provenance;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The machine a job ran on: host name, CPU model and the SIMD instruction sets it offers, which
 * decide the kernels oneDNN and OpenBLAS pick at run time (AVX2 or AVX-512), and so the last bits
 * of every float.
 */
final class HostInfo {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");
  private static final Set<String> SIMD =
      Set.of(
          "sse4_1",
          "sse4_2",
          "avx",
          "avx2",
          "fma",
          "f16c",
          "avx512f",
          "avx512dq",
          "avx512cd",
          "avx512bw",
          "avx512vl",
          "avx512_vnni",
          "avx512_bf16",
          "avx512_fp16",
          "avx_vnni",
          "amx_tile",
          "amx_bf16",
          "amx_int8",
          "asimd",
          "sve");

  private HostInfo() {}

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  static String cpuModel() {
    return field("model name").orElse(System.getProperty("os.arch"));
  }

  /**
   * The SIMD flags of the first CPU, sorted and space-separated; "" where /proc/cpuinfo is not
   * there.
   */
  static String simdFlags() {
    return field("flags").or(() -> field("Features")).map(HostInfo::simdOnly).orElse("");
  }

  static String simdOnly(String flags) {
    Set<String> kept = new TreeSet<>(Arrays.asList(flags.trim().split("\\s+")));
    kept.retainAll(SIMD);
    return String.join(" ", kept);
  }

  private static java.util.Optional<String> field(String name) {
    try {
      List<String> lines = Files.readAllLines(CPUINFO, StandardCharsets.UTF_8);
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
          return java.util.Optional.of(line.substring(colon + 1).trim());
        }
      }
    } catch (IOException | SecurityException e) {
      // Not Linux, or not readable: nothing to record.
    }
    return java.util.Optional.empty();
  }
}
