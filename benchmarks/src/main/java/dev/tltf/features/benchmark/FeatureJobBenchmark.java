package dev.tltf.features.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.benchmark.BenchmarkArgs;
import dev.tltf.common.benchmark.BenchmarkResults;
import dev.tltf.common.io.Json;
import dev.tltf.features.demo.SyntheticImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Benchmark step (d) and the memory measurement: the real feature job, {@code bin/extract-features
 * --master local[2]}, on synthetic images of 400–520 px a side (half JPEG, half PNG), with the
 * driver JVM's resident size sampled every second. In local mode the driver is the executor: it
 * lists, hashes, decodes, resizes, runs the network and writes Parquet, so its RSS is an executor's
 * footprint plus the driver's.
 *
 * <pre>
 * FeatureJobBenchmark --root REPO --weights W.h5 --images DIR --count N --work DIR --out R.txt [--prefix P]
 *                     [--env NAME=VALUE]
 * </pre>
 *
 * Figures: the job's own images/s (its run summary: computed images over the whole run, listing and
 * commit included), and the steady rate between its first and last progress lines (decode + resize
 * + network + write).
 */
public final class FeatureJobBenchmark {
  private static final Pattern PROGRESS =
      Pattern.compile("progress: ([0-9,]+) / [0-9,]+ images .*?, ([0-9.]+) images/s");

  private FeatureJobBenchmark() {}

  public static void main(String[] argv) throws Exception {
    BenchmarkArgs args = BenchmarkArgs.parse(argv);
    int count = args.integer("count", 400);
    Path images = args.path("images");
    if (!Files.isDirectory(images)) {
      SyntheticImages.write(
          images, Math.max(1, count / SyntheticImages.CLASSES.size()), 11, 400, 520);
    }
    String prefix = args.text("prefix", "job");
    Path work = Files.createDirectories(args.path("work"));
    Path store = work.resolve(prefix + "-store");
    Path log = work.resolve(prefix + ".log");
    List<String> command =
        List.of(
            args.path("root").resolve("bin/extract-features").toString(),
            "--master",
            "local[2]",
            "--images",
            images.toString(),
            "--out",
            store.toString(),
            "--weights",
            args.text("weights"),
            "--batch-size",
            "8",
            "--progress-seconds",
            "5");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("OMP_NUM_THREADS", "2");
    String extra = args.text("env", "");
    if (!extra.isEmpty()) {
      builder
          .environment()
          .put(extra.substring(0, extra.indexOf('=')), extra.substring(extra.indexOf('=') + 1));
    }
    long start = System.nanoTime();
    Process process = builder.start();
    RssSampler rss = RssSampler.start(process.toHandle(), 1000);
    int status = process.waitFor();
    double wall = (System.nanoTime() - start) / 1e9;
    List<RssSampler.Sample> samples = rss.samples();
    if (status != 0) {
      throw new IllegalStateException("The feature job failed (exit " + status + "); see " + log);
    }

    JsonNode summary = runSummary(store);
    BenchmarkResults results =
        new BenchmarkResults()
            .put(prefix + ".images", (double) summary.get("computed").asLong())
            .put(prefix + ".images_per_s", summary.get("imagesPerSecond").asDouble())
            .put(prefix + ".run_seconds", summary.get("elapsedSeconds").asDouble())
            .put(prefix + ".wall_seconds", wall)
            .put(prefix + ".steady_images_per_s", steadyRate(Files.readAllLines(log)));
    memory(results, prefix, samples);
    writeSamples(work.resolve(prefix + "-rss.csv"), samples);
    System.out.printf(
        "Feature job (%s): %d images, %.2f images/s over the run (%.1f s), %.2f images/s steady; "
            + "RSS peak %.0f MB%n",
        prefix,
        summary.get("computed").asLong(),
        summary.get("imagesPerSecond").asDouble(),
        summary.get("elapsedSeconds").asDouble(),
        results.number(prefix + ".steady_images_per_s"),
        results.number(prefix + ".rss_peak_mb"));
    results.write(args.path("out"));
  }

  private static JsonNode runSummary(Path store) throws IOException {
    try (Stream<Path> runs = Files.list(store.resolve("_tltf/runs"))) {
      Path run =
          runs.filter(p -> p.toString().endsWith(".json"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("No run summary in " + store));
      return Json.mapper().readTree(Files.readString(run));
    }
  }

  /** Images per second between the first and the last progress line that report work done. */
  static double steadyRate(List<String> log) {
    List<double[]> points = new ArrayList<>(); // (done, seconds since the compute stage began)
    for (String line : log) {
      Matcher m = PROGRESS.matcher(line);
      if (m.find()) {
        double done = Double.parseDouble(m.group(1).replace(",", ""));
        double rate = Double.parseDouble(m.group(2));
        if (done > 0 && rate > 0) {
          points.add(new double[] {done, done / rate});
        }
      }
    }
    if (points.size() < 2) {
      return Double.NaN;
    }
    double[] first = points.get(0);
    double[] last = points.get(points.size() - 1);
    return (last[0] - first[0]) / (last[1] - first[1]);
  }

  /**
   * Peak RSS, and the mean RSS of each quarter of the run: steady means the last quarters do not
   * grow.
   */
  private static void memory(
      BenchmarkResults results, String prefix, List<RssSampler.Sample> samples) {
    results.put(
        prefix + ".rss_peak_mb",
        samples.stream().mapToDouble(RssSampler.Sample::megabytes).max().orElse(0));
    double end = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).seconds();
    for (int quarter = 1; quarter <= 4; quarter++) {
      double from = end * (quarter - 1) / 4;
      double to = end * quarter / 4;
      results.put(
          prefix + ".rss_q" + quarter + "_mb",
          samples.stream()
              .filter(s -> s.seconds() >= from && s.seconds() <= to)
              .mapToDouble(RssSampler.Sample::megabytes)
              .average()
              .orElse(0));
    }
  }

  private static void writeSamples(Path file, List<RssSampler.Sample> samples) throws IOException {
    Files.writeString(
        file,
        samples.stream()
            .map(s -> String.format(java.util.Locale.ROOT, "%.1f,%.1f", s.seconds(), s.megabytes()))
            .collect(Collectors.joining("\n", "seconds,rss_mb\n", "\n")));
  }
}
