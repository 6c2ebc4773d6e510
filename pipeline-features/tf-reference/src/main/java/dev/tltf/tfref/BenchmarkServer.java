package dev.tltf.tfref;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The reference's {@code benchmark} mode: the graph is built once, then the benchmark harness
 * (another JVM, with ND4J) sends one command per line on stdin and reads one answer per line on
 * stdout, so that it can interleave TensorFlow's timings with its own on a shared, noisy machine.
 * Commands:
 *
 * <pre>
 * forward BATCH SECONDS WARMUP   → ok MEDIAN_S BEST_S RUNS   (InceptionV3 on BATCH noise images)
 * gemm N SECONDS WARMUP          → ok MEDIAN_S BEST_S RUNS   (an N×N by N×N float32 MatMul)
 * quit
 * </pre>
 *
 * Each command runs {@code WARMUP} untimed runs, then timed runs until at least 3 runs and {@code
 * SECONDS} have passed. The first line written is {@code ready GRAPH_SECONDS}.
 */
final class BenchmarkServer {
  private static final int MIN_RUNS = 3;

  private final TfInceptionV3 network;
  private final int size;
  private final int threads;
  private final PrintStream out;

  private BenchmarkServer(TfInceptionV3 network, int size, int threads, PrintStream out) {
    this.network = network;
    this.size = size;
    this.threads = threads;
    this.out = out;
  }

  static int serve(ReferenceArguments arguments, PrintStream out) {
    long start = System.nanoTime();
    try (TfInceptionV3 network =
        TfInceptionV3.load(arguments.weights(), arguments.size(), arguments.threads())) {
      out.printf(Locale.ROOT, "ready %.3f%n", (System.nanoTime() - start) / 1e9);
      new BenchmarkServer(network, arguments.size(), arguments.threads(), out).loop();
    }
    return 0;
  }

  private void loop() {
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = commands.readLine(); line != null; line = commands.readLine()) {
        String[] words = line.trim().split("\\s+", -1);
        switch (words[0]) {
          case "quit" -> {
            return;
          }
          case "forward" ->
              answer(
                  timeForward(
                      Integer.parseInt(words[1]),
                      Double.parseDouble(words[2]),
                      Integer.parseInt(words[3])));
          case "gemm" ->
              answer(
                  timeGemm(
                      Integer.parseInt(words[1]),
                      Double.parseDouble(words[2]),
                      Integer.parseInt(words[3])));
          default -> out.println("error unknown command: " + line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read benchmark commands", e);
    }
  }

  private List<Double> timeForward(int batch, double seconds, int warmUp) {
    float[] images = noise((long) batch * size * size * 3);
    return time(() -> network.features(images, batch), seconds, warmUp);
  }

  private List<Double> timeGemm(int n, double seconds, int warmUp) {
    try (TfGemm gemm = TfGemm.create(n, threads, noise((long) n * n), noise((long) n * n))) {
      return time(gemm::run, seconds, warmUp);
    }
  }

  private static List<Double> time(Runnable run, double seconds, int warmUp) {
    for (int i = 0; i < warmUp; i++) {
      run.run();
    }
    List<Double> times = new ArrayList<>();
    long start = System.nanoTime();
    while (times.size() < MIN_RUNS || (System.nanoTime() - start) / 1e9 < seconds) {
      long t0 = System.nanoTime();
      run.run();
      times.add((System.nanoTime() - t0) / 1e9);
    }
    Collections.sort(times);
    return times;
  }

  private void answer(List<Double> sortedSeconds) {
    out.printf(
        Locale.ROOT,
        "ok %.6f %.6f %d%n",
        sortedSeconds.get(sortedSeconds.size() / 2),
        sortedSeconds.get(0),
        sortedSeconds.size());
  }

  /** Uniform noise in [−1, 1], the range of preprocessed pixels. */
  private static float[] noise(long count) {
    Random random = new Random(count);
    float[] values = new float[Math.toIntExact(count)];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() * 2 - 1;
    }
    return values;
  }
}
