package dev.tltf.features.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A peer timed in its own JVM (TensorFlow Java, ONNX Runtime), driven line by line so that its
 * timings interleave with ours. Its own JVM because a peer's natives do not sit well beside ND4J's
 * (TF Java needs another JavaCPP; ONNX Runtime 1.29 was seen to crash creating a session in a JVM
 * with the whole benchmark classpath), and so that each runtime's threads are its own. The
 * protocol, on the child's stdin and stdout:
 *
 * <pre>
 * (child, once loaded)           ready LOAD_SECONDS
 * forward BATCH SECONDS WARMUP → ok MEDIAN_S BEST_S RUNS   (the network on BATCH noise images)
 * gemm N SECONDS WARMUP        → ok MEDIAN_S BEST_S RUNS   (TensorFlow only: an N×N float32 MatMul)
 * quit
 * </pre>
 */
final class ChildBenchmark implements AutoCloseable {
  private final String name;
  private final Process process;
  private final BufferedReader answers;
  private final PrintWriter commands;
  private final double loadSeconds;

  private ChildBenchmark(String name, Process process) throws IOException {
    this.name = name;
    this.process = process;
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    String ready = answers.readLine();
    if (ready == null || !ready.startsWith("ready ")) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "The " + name + " benchmark did not start (" + ready + "); see its log");
    }
    this.loadSeconds = Double.parseDouble(ready.substring(6));
  }

  /**
   * Starts {@code java -Xmx<heap> -cp <classpath> <mainClass> <arguments>} with this JVM's java,
   * the extra {@code environment}, and its stderr in {@code log}; returns once it is ready.
   */
  static ChildBenchmark start(
      String name,
      String heap,
      String classpath,
      String mainClass,
      List<String> arguments,
      Map<String, String> environment,
      Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    builder.environment().putAll(environment);
    return new ChildBenchmark(name, builder.start());
  }

  /** Seconds the child took to load its network (graph built, session created). */
  double loadSeconds() {
    return loadSeconds;
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

  /** The child reports median, best and run count; they are kept as a three-point timing. */
  private BatchTimer.Timing ask(String command) {
    commands.println(command);
    try {
      String answer = answers.readLine();
      if (answer == null || !answer.startsWith("ok ")) {
        throw new IllegalStateException(
            "The " + name + " benchmark answered '" + answer + "' to '" + command + "'");
      }
      String[] words = answer.split(" ", -1);
      return new BatchTimer.Timing(
          Double.parseDouble(words[1]), Double.parseDouble(words[2]), Integer.parseInt(words[3]));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the " + name + " benchmark's answer", e);
    }
  }

  /** The answer the child side writes for sorted run times: {@code ok MEDIAN BEST RUNS}. */
  static String answer(BatchTimer.Timing timing) {
    return String.format(
        Locale.ROOT, "ok %.6f %.6f %d", timing.median(), timing.best(), timing.runs());
  }

  /** Asks the child to quit; one that has not within a minute (or when interrupted) is killed. */
  @Override
  public void close() {
    commands.println("quit");
    commands.close();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
