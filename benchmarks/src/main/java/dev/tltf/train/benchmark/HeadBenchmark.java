package dev.tltf.train.benchmark;

import dev.tltf.common.benchmark.BenchmarkArgs;
import dev.tltf.common.benchmark.BenchmarkResults;
import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.io.Json;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.train.TrainHeadCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark steps (e) and (f), one JVM on local[2]: heads on {@code rows} × 2048 cached vectors of
 * 100 classes.
 *
 * <ul>
 *   <li>(e) Spark MLlib's multinomial LogisticRegression (each regParam of {@code --reg}, the best
 *       on the test split reported, which favours MLlib) against {@code bin/train-head} with {@link
 *       #DEFAULT_SETTINGS} (the default head: full-batch L-BFGS with {@code --l2 auto}, the L2 path
 *       included; through the job's entry point, so reading the store, training, evaluating and
 *       writing the head directory are all in its time), on the same store and split, each with its
 *       test accuracy.
 *   <li>(f) a relabel-and-retrain run: a CSV that merges the 100 classes into 10, trained the same
 *       way; the report sets its time against recomputing the features of the same images at the
 *       feature job's measured rate.
 * </ul>
 *
 * <pre>
 * HeadBenchmark --work DIR --out R.txt [--rows 100000] [--classes 100] [--signal 0.25] [--reg 0.001[,0.01…]]
 *               [--max-iter 100] [--head-settings "train-head flags"]
 * </pre>
 */
public final class HeadBenchmark {
  private static final int DIMENSION = 2048;

  /**
   * The default head, spelled out: full-batch L-BFGS, L2 chosen on validation along the
   * warm-started path.
   */
  static final String DEFAULT_SETTINGS = "--solver lbfgs --l2 auto";

  private HeadBenchmark() {}

  public static void main(String[] argv) throws Exception {
    BenchmarkArgs args = BenchmarkArgs.parse(argv);
    int rows = args.integer("rows", 100_000);
    int classes = args.integer("classes", 100);
    Path work = Files.createDirectories(args.path("work"));
    String store = work.resolve("vectors-" + rows).toString();
    SparkSession spark = SharedSpark.session();
    if (!Files.isDirectory(Path.of(store, "_tltf"))) {
      long t0 = System.nanoTime();
      SyntheticVectorStore.write(
          spark, store, rows, classes, DIMENSION, args.number("signal", 0.25), 3);
      System.out.printf(
          "Wrote %,d synthetic vectors in %.0f s%n", rows, (System.nanoTime() - t0) / 1e9);
    }
    BenchmarkResults results =
        new BenchmarkResults().put("head.rows", rows).put("head.classes", classes);
    for (String head :
        List.of("head", "head-relabeled")) { // train-head never overwrites; a rerun starts clean
      deleteTree(work.resolve(head));
    }

    String[] settings = args.text("head-settings", DEFAULT_SETTINGS).split(" ");
    Head ours = trainHead(work.resolve("head"), settings, "--features", store);
    results
        .put("head.ours.seconds", ours.seconds())
        .put("head.ours.test_accuracy", ours.testAccuracy())
        .put("head.ours.epochs", ours.epochs())
        .put("head.ours.solver", ours.solver())
        .put("head.ours.l2", ours.l2());
    results.put("head.ours.settings", String.join(" ", settings));
    System.out.printf(
        "train-head %s: %.1f s, test accuracy %.4f (%s, L2 %s, %d iterations/epochs)%n",
        String.join(" ", settings),
        ours.seconds(),
        ours.testAccuracy(),
        ours.solver(),
        ours.l2(),
        ours.epochs());

    Path labels = work.resolve("relabel.csv");
    writeMergedLabels(spark, store, labels, 10);
    Head relabeled =
        trainHead(
            work.resolve("head-relabeled"),
            settings,
            "--features",
            store,
            "--labels",
            labels.toString());
    results
        .put("retrain.seconds", relabeled.seconds())
        .put("retrain.images", rows)
        .put("retrain.test_accuracy", relabeled.testAccuracy());
    System.out.printf(
        "relabel (10 merged classes) and retrain: %.1f s, test accuracy %.4f%n",
        relabeled.seconds(), relabeled.testAccuracy());
    results.write(args.path("out")); // what is measured so far survives a failure of the MLlib step

    MllibBaseline.Outcome best = null;
    double bestReg = Double.NaN;
    for (String value : args.text("reg", "0.001").split(",", -1)) {
      double reg = Double.parseDouble(value.strip());
      MllibBaseline.Outcome mllib =
          MllibBaseline.run(spark, store, reg, args.integer("max-iter", 100));
      System.out.printf(
          "MLlib LogisticRegression (regParam %s): fit %.1f s, test accuracy %.4f (%d iterations)%n",
          reg, mllib.fitSeconds(), mllib.testAccuracy(), mllib.iterations());
      if (best == null || mllib.testAccuracy() > best.testAccuracy()) {
        best = mllib;
        bestReg = reg;
      }
      results
          .put("head.mllib.seconds", best.fitSeconds())
          .put("head.mllib.test_accuracy", best.testAccuracy())
          .put("head.mllib.reg", bestReg)
          .put("head.mllib.iterations", best.iterations());
      results.write(args.path("out"));
    }
    System.out.printf(
        "ours / MLlib at its best regParam (%s): %.1f s vs %.1f s fit alone (%.1fx), test accuracy "
            + "%.4f vs %.4f%n",
        bestReg,
        ours.seconds(),
        best.fitSeconds(),
        best.fitSeconds() / ours.seconds(),
        ours.testAccuracy(),
        best.testAccuracy());
  }

  /**
   * A head directory written by the train-head entry point: wall time, test accuracy, epochs (or
   * L-BFGS iterations) of the kept trial, its solver and L2.
   */
  private record Head(double seconds, double testAccuracy, int epochs, String solver, double l2) {}

  private static Head trainHead(Path out, String[] settings, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(settings));
    all.addAll(List.of("--out", out.toString()));
    long start = System.nanoTime();
    int status =
        JobMain.run(
            new TrainHeadCommand(),
            ConfDefaults.load(null),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
            all.toArray(String[]::new));
    double seconds = (System.nanoTime() - start) / 1e9;
    if (status != 0) {
      throw new IllegalStateException("train-head failed (exit " + status + "): " + all);
    }
    var metrics = Json.mapper().readTree(Files.readString(out.resolve("metrics.json")));
    return new Head(
        seconds,
        metrics.at("/test/accuracy").asDouble(),
        metrics.at("/history").size(),
        metrics.at("/solver").asText(),
        metrics.at("/l2").asDouble());
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** path,label with class C relabelled as group C mod {@code groups}: new labels, same vectors. */
  private static void writeMergedLabels(SparkSession spark, String store, Path file, int groups)
      throws Exception {
    StringBuilder csv = new StringBuilder("path,label\n");
    for (Row row : spark.read().parquet(store + "/features").select("path").collectAsList()) {
      String path = row.getString(0);
      int c = Integer.parseInt(path.substring(5, path.indexOf('/')));
      csv.append(path).append(",group").append(c % groups).append('\n');
    }
    Files.writeString(file, csv);
  }
}
