package dev.tltf.features.benchmark;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The TensorFlow Java InceptionV3 (module tf-reference, {@code benchmark} mode) in a child JVM — TF
 * Java and ND4J need different JavaCPP versions — loaded once from the same weight file and driven
 * line by line, so that its timings interleave with ours.
 */
final class TfBenchmarkProcess implements AutoCloseable {
  private static final String MAIN_CLASS = "dev.tltf.tfref.TfInceptionV3Reference";

  private final Process process;
  private final BufferedReader answers;
  private final PrintWriter commands;
  private final double graphSeconds;

  private TfBenchmarkProcess(Process process) throws IOException {
    this.process = process;
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    String ready = answers.readLine();
    if (ready == null || !ready.startsWith("ready ")) {
      throw new IllegalStateException(
          "The TensorFlow benchmark did not start (" + ready + "); see its log");
    }
    this.graphSeconds = Double.parseDouble(ready.substring(6));
  }

  /**
   * Starts the reference built in {@code moduleDir} (its target/classes and target/classpath.txt).
   */
  static TfBenchmarkProcess start(Path moduleDir, Path weights, int size, int threads, Path log)
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
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g",
                    "-cp",
                    classpath,
                    MAIN_CLASS,
                    "benchmark",
                    "--weights",
                    weights.toString(),
                    "--size",
                    Integer.toString(size),
                    "--threads",
                    Integer.toString(threads)))
            .redirectError(log.toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return new TfBenchmarkProcess(builder.start());
  }

  double graphSeconds() {
    return graphSeconds;
  }

  long pid() {
    return process.pid();
  }

  BatchTimer.Timing forward(int batch, double seconds, int warmUp) {
    return ask(String.format(Locale.ROOT, "forward %d %.3f %d", batch, seconds, warmUp));
  }

  BatchTimer.Timing gemm(int n, double seconds, int warmUp) {
    return ask(String.format(Locale.ROOT, "gemm %d %.3f %d", n, seconds, warmUp));
  }

  /** The server reports median, best and run count; they are kept as a three-point timing. */
  private BatchTimer.Timing ask(String command) {
    commands.println(command);
    try {
      String answer = answers.readLine();
      if (answer == null || !answer.startsWith("ok ")) {
        throw new IllegalStateException(
            "The TensorFlow benchmark answered '" + answer + "' to '" + command + "'");
      }
      String[] words = answer.split(" ");
      return new BatchTimer.Timing(
          Double.parseDouble(words[1]), Double.parseDouble(words[2]), Integer.parseInt(words[3]));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the TensorFlow benchmark's answer", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    commands.println("quit");
    commands.close();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
