package dev.tltf.common.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The last benchmark step: reads every step's results, prints the ratios the performance issue asks
 * for and writes them, with the machine they were measured on, as {@code docs/BENCHMARKS.md}.
 *
 * <pre>
 * BenchmarkReport --results DIR --out docs/BENCHMARKS.md --command "bin/benchmark" --batches 1,8,32
 * </pre>
 *
 * Everything below the line {@value #NOTES_MARKER} in the existing file (the analysis that goes
 * with the numbers) is kept as is.
 */
public final class BenchmarkReport {
  private static final double GFLOP_PER_IMAGE = 11.4;
  static final String NOTES_MARKER = "<!-- notes: kept by bin/benchmark -->";

  private final BenchmarkResults r;
  private final List<String> lines = new ArrayList<>();

  private BenchmarkReport(BenchmarkResults results) {
    this.r = results;
  }

  public static void main(String[] argv) throws IOException {
    BenchmarkArgs args = BenchmarkArgs.parse(argv);
    BenchmarkResults results = new BenchmarkResults();
    try (var files = Files.list(args.path("results"))) {
      files
          .filter(f -> f.toString().endsWith(".txt"))
          .sorted()
          .forEach(f -> results.putAll(BenchmarkResults.read(f)));
    }
    BenchmarkReport report = new BenchmarkReport(results);
    String markdown = report.render(args.text("command"), args.integers("batches", "1,8,32"));
    Path out = args.path("out");
    if (Files.isRegularFile(out)) {
      String old = Files.readString(out);
      int notes = old.indexOf(NOTES_MARKER);
      if (notes >= 0) {
        markdown += "\n" + old.substring(notes);
      }
    }
    Files.writeString(args.path("out"), markdown);
    System.out.println(String.join("\n", report.lines));
  }

  private String render(String command, int[] batches) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append("Written by `")
        .append(command)
        .append("` (see README, \"Benchmarks\"). Every figure below comes from ")
        .append("one run of it on the machine described here; rerun it to refresh this file.\n\n");
    md.append("| machine | |\n|---|---|\n");
    md.append("| CPU | ").append(MachineInfo.cpuModel()).append(" |\n");
    md.append("| cores | ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" (CPU flags: ")
        .append(MachineInfo.vectorFlags())
        .append(") |\n");
    md.append("| memory | ").append(MachineInfo.memoryGigabytes()).append(" GB |\n");
    md.append("| Java | ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append(" |\n");
    md.append("| date | ").append(LocalDate.now(ZoneOffset.UTC)).append(" |\n");
    md.append(
        "| threads | OMP_NUM_THREADS=2 for ND4J; TensorFlow and ONNX Runtime intra-op 2, inter-op 1; "
            + "Spark local[2] |\n");
    if (r.has("forward.foreign_load_cores")) {
      md.append(
          String.format(
              Locale.ROOT,
              "| other processes | kept %.2f cores busy on average during the forward-"
                  + "pass rounds (the machine is shared) |\n",
              r.number("forward.foreign_load_cores")));
    }

    md.append("\n## Forward pass, InceptionV3 at 299×299 (11.4 GFLOP per image)\n\n");
    md.append("On ")
        .append(MachineInfo.cpuModel())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(
            " cores. Ours (DL4J, oneDNN helpers, batch norm folded), TensorFlow Java 1.1.0 (TF 2.18, oneDNN) and ")
        .append(
            "ONNX Runtime 1.29 (Java API, CPU, on the model `export-model --format onnx` writes: uint8 NHWC ")
        .append(
            "images in, scaling and layout inside the graph) with the same weights, 2 intra-op threads each ")
        .append(
            "and the same noise images, timed in alternating rounds (TensorFlow and ONNX Runtime each in its ")
        .append("own JVM); median of the rounds, ratios the median of the per-round ratios. ")
        .append(
            "\"Ours\" is the DL4J graph; the last three columns are the oneDNN engine lowered from the same ")
        .append(
            "folded graph (`--engine onednn`, what the feature job runs by default), in the same rounds.\n\n");
    md.append(
        "| batch | ours images/s | TF images/s | ONNX Runtime images/s | ours / TF | ours / ONNX Runtime "
            + "| ours GFLOP/s | ours / GEMM ceiling | oneDNN engine images/s | engine / TF "
            + "| engine / ONNX Runtime |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    double ceiling = r.number("gemm.nd4j.gflops");
    for (int b : batches) {
      String k = "forward.b" + b;
      if (!r.has(k + ".dl4j.images_per_s")) {
        continue;
      }
      double ours = r.number(k + ".dl4j.images_per_s");
      double tf = numberOrNaN(k + ".tf.images_per_s");
      double tfRatio = numberOrNaN(k + ".ratio");
      double ort = numberOrNaN(k + ".onnxruntime.images_per_s");
      double ortRatio = numberOrNaN(k + ".dl4j_over_onnxruntime");
      double engine = numberOrNaN(k + ".onednn.images_per_s");
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f | %.2f | %.2f | **%.2f** | **%.2f** | %.1f | %.2f | %.2f | **%.2f** | **%.2f** |\n",
              b,
              ours,
              tf,
              ort,
              tfRatio,
              ortRatio,
              ours * GFLOP_PER_IMAGE,
              ours * GFLOP_PER_IMAGE / ceiling,
              engine,
              numberOrNaN(k + ".onednn_over_tf"),
              numberOrNaN(k + ".onednn_over_onnxruntime")));
      line(
          "forward b%d: ours %.2f img/s, TF %.2f img/s, ONNX Runtime %.2f img/s; ours/TF %.2f, ours/ORT %.2f, "
              + "ours/GEMM ceiling %.2f",
          b, ours, tf, ort, tfRatio, ortRatio, ours * GFLOP_PER_IMAGE / ceiling);
    }
    if (r.has("onnxruntime.export_seconds")) {
      md.append(
          String.format(
              Locale.ROOT,
              "\nThe ONNX export of the backbone took %.1f s here, ONNX Runtime's session %.1f s.\n",
              r.number("onnxruntime.export_seconds"),
              r.number("onnxruntime.session_seconds")));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "\nGEMM ceiling (float32 %d×%d·%d×%d, 2 threads): ND4J %.1f GFLOP/s, "
                + "TensorFlow MatMul %.1f GFLOP/s.",
            (int) r.number("gemm.n"),
            (int) r.number("gemm.n"),
            (int) r.number("gemm.n"),
            (int) r.number("gemm.n"),
            ceiling,
            r.number("gemm.tf.gflops")));
    line("GEMM ceiling: ND4J %.1f GFLOP/s, TF %.1f GFLOP/s", ceiling, r.number("gemm.tf.gflops"));
    for (int b : batches) {
      String k = "forward.b" + b + ".dl4j_reference_graph.images_per_s";
      if (r.has(k)) {
        md.append(
            String.format(
                Locale.ROOT,
                " Reference graph (batch norm as separate layers, what export writes) "
                    + "at batch %d in the same rounds: %.2f images/s.",
                b,
                r.number(k)));
      }
    }
    md.append('\n');
    if (r.has("passive.forward.b8.dl4j.images_per_s")) {
      md.append(
          String.format(
              Locale.ROOT,
              "\nThe same at batch 8 with `OMP_WAIT_POLICY=PASSIVE` in the "
                  + "environment (other processes: %.2f cores): DL4J %.2f images/s, TF %.2f, DL4J / TF **%.2f**.\n",
              r.number("passive.forward.foreign_load_cores"),
              r.number("passive.forward.b8.dl4j.images_per_s"),
              r.number("passive.forward.b8.tf.images_per_s"),
              r.number("passive.forward.b8.ratio")));
      line(
          "forward b8 with OMP_WAIT_POLICY=PASSIVE: ours/TF %.2f",
          r.number("passive.forward.b8.ratio"));
    }

    md.append(
        "\n## Feature job end to end (`bin/extract-features --master local[2]`, batch 8)\n\n");
    md.append(
            "Synthetic images of 400–520 px a side, half JPEG, half PNG: list, hash, decode, resize, forward ")
        .append(
            "pass, Parquet, commit. \"Run\" is the job's own summary (computed images / elapsed, listing and ")
        .append(
            "commit included); \"steady\" is the rate between its first and last progress lines.\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Bare forward pass at batch 8 (default environment, above): %.2f images/s." + "\n\n",
            r.number("forward.b8.dl4j.images_per_s")));
    md.append(
        "| environment | images | run images/s | steady images/s | run / bare forward (b8) | steady / bare "
            + "forward | RSS peak MB | RSS by quarter of the run, MB |\n|---|---|---|---|---|---|---|---|\n");
    double bare = r.number("forward.b8.dl4j.images_per_s");
    for (String job : List.of("job", "job-passive")) {
      if (!r.has(job + ".images_per_s")) {
        continue;
      }
      double rate = r.number(job + ".images_per_s");
      double steady = r.number(job + ".steady_images_per_s");
      // Both against the default bare forward pass: the fastest the network alone ran in this run.
      double bareHere = bare;
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f | %.2f | **%.2f** | %.2f | %.0f | %.0f / %.0f / %.0f / "
                  + "%.0f |\n",
              job.equals("job") ? "default" : "`OMP_WAIT_POLICY=PASSIVE`",
              (long) r.number(job + ".images"),
              rate,
              steady,
              rate / bareHere,
              steady / bareHere,
              r.number(job + ".rss_peak_mb"),
              r.number(job + ".rss_q1_mb"),
              r.number(job + ".rss_q2_mb"),
              r.number(job + ".rss_q3_mb"),
              r.number(job + ".rss_q4_mb")));
      line(
          "feature job (%s): %.2f img/s run, %.2f steady; job/bare forward %.2f (steady %.2f); RSS peak %.0f MB",
          job, rate, steady, rate / bareHere, steady / bareHere, r.number(job + ".rss_peak_mb"));
    }

    if (r.has("incr.files")) {
      incremental(md);
    }

    if (r.has("head.ours.seconds")) {
      md.append(
          String.format(
              Locale.ROOT,
              "\n## Heads on %,d × 2048 cached vectors, %d classes\n\n",
              (long) r.number("head.rows"),
              (long) r.number("head.classes")));
      md.append(
              "Same store, same split (80/10/10 by image_id), local[2]. MLlib: multinomial LogisticRegression, ")
          .append(
              "fit time only (vectors converted and cached before the clock starts). Ours: the whole `train-head ")
          .append(r.text("head.ours.settings"))
          .append("` entry point (read the store, train with early stopping, ")
          .append("evaluate, write the head directory).\n\n");
      md.append("| trainer | seconds | test accuracy |\n|---|---|---|\n");
      md.append(
          String.format(
              Locale.ROOT,
              "| MLlib LogisticRegression, regParam %s, %d iterations | %.1f | %.4f |\n",
              r.text("head.mllib.reg"),
              (int) r.number("head.mllib.iterations"),
              r.number("head.mllib.seconds"),
              r.number("head.mllib.test_accuracy")));
      md.append(
          String.format(
              Locale.ROOT,
              "| train-head %s (%d epochs) | %.1f | %.4f |\n",
              r.text("head.ours.settings"),
              (int) r.number("head.ours.epochs"),
              r.number("head.ours.seconds"),
              r.number("head.ours.test_accuracy")));
      double speedup = r.number("head.mllib.seconds") / r.number("head.ours.seconds");
      md.append(
          String.format(
              Locale.ROOT,
              "\nMLlib time / our head time: **%.1f×** (test accuracy %+.4f).\n",
              speedup,
              r.number("head.ours.test_accuracy") - r.number("head.mllib.test_accuracy")));
      line(
          "heads: MLlib %.1f s (acc %.4f), ours %.1f s (acc %.4f), MLlib/ours %.1fx",
          r.number("head.mllib.seconds"),
          r.number("head.mllib.test_accuracy"),
          r.number("head.ours.seconds"),
          r.number("head.ours.test_accuracy"),
          speedup);

      double recompute = r.number("retrain.images") / r.number("job.images_per_s");
      md.append(
          String.format(
              Locale.ROOT,
              "\n## Relabel and retrain vs recomputing the features\n\n"
                  + "A CSV relabelling the %,d images (100 classes merged into 10) and `train-head --labels FILE.csv` "
                  + "(same settings): %.1f s (test accuracy %.4f). Recomputing their features at the feature job's "
                  + "measured rate (%.2f images/s): %,.0f s. Recompute / retrain: **%,.0f×**.\n",
              (long) r.number("retrain.images"),
              r.number("retrain.seconds"),
              r.number("retrain.test_accuracy"),
              r.number("job.images_per_s"),
              recompute,
              recompute / r.number("retrain.seconds")));
      line(
          "relabel+retrain %.1f s vs recompute %.0f s: %.0fx",
          r.number("retrain.seconds"), recompute, recompute / r.number("retrain.seconds"));
    }
    audit(md);
    return md.toString();
  }

  private double numberOrNaN(String key) {
    return r.has(key) ? r.number(key) : Double.NaN;
  }

  /** Step (g): re-runs that read only what changed, against Hadoop's listing of the same tree. */
  private void incremental(StringBuilder md) {
    double listing = r.number("incr.listing_seconds");
    md.append(
        String.format(
            Locale.ROOT,
            "\n## Re-runs over %,d small files\n\n"
                + "A tree of %,d files of a few bytes (100 folders), stored by a first real run as `unsupported_format` "
                + "error rows with their sizes and modification times (%.1f s; no forward pass: none is an image). "
                + "Each run is its own JVM (`java -cp … ExtractFeaturesCommand`, local[2]); a run's time is its wall "
                + "time minus its start-up (JVM start to the listing: JVM, Spark session, weight file hashed and "
                + "checked), which is reported apart. Hadoop's FileSystem API alone, in a warm JVM: "
                + "`listFiles(tree, true)` %.2f s (on a local disk it runs a shell command per file for its "
                + "permissions), a recursive `listStatus` walk %.2f s (median of 3); the baseline below is the "
                + "faster, %.2f s.\n\n",
            (long) r.number("incr.files"),
            (long) r.number("incr.files"),
            r.number("incr.first_wall_seconds"),
            r.number("incr.list_files_seconds"),
            r.number("incr.list_status_seconds"),
            listing));
    md.append(
        "| run | files opened | bytes read | computed | start-up s | run s (wall − start-up) | "
            + "run / Hadoop listing | listing · hashing · computing · committing s |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    for (String run : List.of("unchanged", "added")) {
      String p = "incr." + run;
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %,d | %d | %.1f | %.2f | **%.2f** | %.2f · %.2f · %.2f · %.2f |\n",
              run.equals("unchanged")
                  ? "unchanged re-run"
                  : String.format(Locale.ROOT, "%d images added", (long) r.number("incr.added")),
              (long) r.number(p + ".opened"),
              (long) r.number(p + ".bytes_read"),
              (long) r.number(p + ".computed"),
              r.number(p + ".startup_seconds"),
              r.number(p + ".after_startup_seconds"),
              r.number(p + ".after_startup_seconds") / listing,
              r.number(p + ".run_listing_seconds"),
              r.number(p + ".run_hashing_seconds"),
              r.number(p + ".run_computing_seconds"),
              r.number(p + ".run_committing_seconds")));
    }
    md.append(
        "\nTarget: the unchanged re-run opens 0 files and takes ≤ 2× the Hadoop listing; the re-run after "
            + "adding images opens exactly those.\n");
    line(
        "re-runs over %,d files: unchanged %.2f s (%d opened) = %.2fx Hadoop listing %.2f s; start-up %.1f s; "
            + "+%d images: %d opened, %.2f s",
        (long) r.number("incr.files"),
        r.number("incr.unchanged.after_startup_seconds"),
        (long) r.number("incr.unchanged.opened"),
        r.number("incr.unchanged.after_startup_seconds") / listing,
        listing,
        r.number("incr.unchanged.startup_seconds"),
        (long) r.number("incr.added"),
        (long) r.number("incr.added.opened"),
        r.number("incr.added.after_startup_seconds"));
  }

  /** Audit stages as audit.json names them, in the order they run, with what each does. */
  private static final List<List<String>> AUDIT_STAGES =
      List.of(
          List.of("read", "read the store and the labels"),
          List.of("exactDuplicates", "exact duplicates (image_id under several paths)"),
          List.of("neighbours", "near-duplicates: exact all-pairs neighbour search (block GEMMs)"),
          List.of("outliers", "outliers"),
          List.of("outOfFoldHeads", "out-of-fold heads (k = 5) + confident learning"),
          List.of("report", "report: suspects' neighbours, thumbnails, tables"));

  private void audit(StringBuilder md) {
    if (!r.has("audit.seconds")) {
      return;
    }
    long rows = (long) r.number("audit.rows");
    md.append(
        String.format(
            Locale.ROOT,
            "\n## Audit of %,d × 2048 cached vectors, %d classes\n\n",
            rows,
            (long) r.number("audit.classes")));
    String settings = r.text("audit.settings");
    md.append("The whole `bin/audit` entry point (")
        .append(settings.equals("defaults") ? "default settings" : "`" + settings + "`")
        .append(", search on the ")
        .append(r.text("audit.distributed").equals("true") ? "executors" : "driver")
        .append(
            String.format(Locale.ROOT, ", blocks of %d rows", (long) r.number("audit.block_rows")))
        .append(") on ")
        .append(MachineInfo.cpuModel())
        .append(", local[2]. CPU seconds are all threads of the JVM: on a shared machine the wall ")
        .append("time of a stage is inflated by other processes, its CPU time much less.\n\n");
    md.append("| stage | wall seconds | CPU seconds |\n|---|---|---|\n");
    double cpu = 0;
    for (List<String> stage : AUDIT_STAGES) {
      String key = "audit.stage." + stage.get(0);
      if (r.has(key + ".seconds")) {
        cpu += r.number(key + ".cpu_seconds");
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %.1f | %.1f |%n",
                stage.get(1),
                r.number(key + ".seconds"),
                r.number(key + ".cpu_seconds")));
      }
    }
    double seconds = r.number("audit.seconds");
    md.append(
        String.format(
            Locale.ROOT,
            "| **all (entry point, start to end)** | **%.1f** (%.1f min) | %.1f |%n",
            seconds,
            seconds / 60,
            cpu));
    md.append(
        String.format(
            Locale.ROOT,
            "\nOther processes kept %.2f cores busy meanwhile; heap peak %.0f MB of %.0f MB. "
                + "%,d near-duplicate pairs, %,d suspects.\n",
            r.number("audit.foreign_load_cores"),
            r.number("audit.heap_peak_mb"),
            r.number("audit.heap_max_mb"),
            (long) r.number("audit.near_pairs"),
            (long) r.number("audit.suspects")));
    line(
        "audit of %d vectors: %.1f s (%.1f min), other processes %.2f cores, heap peak %.0f MB",
        rows,
        seconds,
        seconds / 60,
        r.number("audit.foreign_load_cores"),
        r.number("audit.heap_peak_mb"));
  }

  private void line(String format, Object... values) {
    lines.add(String.format(Locale.ROOT, format, values));
  }
}
