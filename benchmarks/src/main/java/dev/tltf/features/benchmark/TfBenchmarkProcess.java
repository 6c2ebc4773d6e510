package dev.tltf.features.benchmark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The TensorFlow Java InceptionV3 (module tf-reference, {@code benchmark} mode, its
 * BenchmarkServer) as a {@link ChildBenchmark} — TF Java and ND4J need different JavaCPP versions —
 * loaded once from the same weight file.
 */
final class TfBenchmarkProcess {
  private static final String MAIN_CLASS = "dev.tltf.tfref.TfInceptionV3Reference";

  private TfBenchmarkProcess() {}

  /**
   * Starts the reference built in {@code moduleDir} (its target/classes and target/classpath.txt).
   */
  static ChildBenchmark start(Path moduleDir, Path weights, int size, int threads, Path log)
      throws IOException {
    Path classpathFile = moduleDir.resolve("target/classpath.txt");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          "The TensorFlow reference is not built: no "
              + classpathFile
              + "; run 'mvn -DskipTests install' at the repository root first.");
    }
    String classpath =
        moduleDir.resolve("target/classes")
            + File.pathSeparator
            + Files.readString(classpathFile).strip();
    return ChildBenchmark.start(
        "TensorFlow",
        "2g",
        classpath,
        MAIN_CLASS,
        List.of(
            "benchmark",
            "--weights",
            weights.toString(),
            "--size",
            Integer.toString(size),
            "--threads",
            Integer.toString(threads)),
        Map.of("TF_CPP_MIN_LOG_LEVEL", "2"),
        log);
  }
}
