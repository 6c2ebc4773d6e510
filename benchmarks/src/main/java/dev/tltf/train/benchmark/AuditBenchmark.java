package dev.tltf.train.benchmark;

import dev.tltf.common.benchmark.BenchmarkArgs;
import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.io.Json;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.train.audit.AuditCommand;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The audit's cost, one JVM on local[2]: {@code rows} × 2048 synthetic avg_pool-like vectors in
 * {@code classes} classes ({@link SyntheticVectorStore}), audited with bin/audit's entry point (all
 * stages: reading, exact and near duplicates, out-of-fold heads, outliers, report), seconds per
 * stage from audit.json.
 *
 * <pre>
 * AuditBenchmark --work DIR [--rows 20000] [--classes 100] [--signal 0.25] [--audit-settings "audit flags"]
 * </pre>
 */
public final class AuditBenchmark {
  private AuditBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchmarkArgs a = BenchmarkArgs.parse(args);
    Path work = Path.of(a.text("work", "target/audit-benchmark"));
    int rows = a.integer("rows", 20_000);
    int classes = a.integer("classes", 100);
    double signal = a.number("signal", 0.25);
    SparkSession spark = SharedSpark.session();
    String store = work.resolve("store-" + rows).toString();
    if (!Files.exists(Path.of(store))) {
      SyntheticVectorStore.write(spark, store, rows, classes, 2048, signal, 7);
    }
    Path out = work.resolve("audit-" + rows);
    List<String> flags =
        new ArrayList<>(List.of("--features", store, "--out", out.toString(), "--overwrite"));
    String settings = a.text("audit-settings", "");
    if (!settings.isBlank()) {
      flags.addAll(List.of(settings.trim().split("\\s+")));
    }
    long start = System.nanoTime();
    int status =
        JobMain.run(
            new AuditCommand(),
            ConfDefaults.load(null),
            new PrintWriter(System.err, true),
            flags.toArray(String[]::new));
    double seconds = (System.nanoTime() - start) / 1e9;
    if (status != 0) {
      throw new IllegalStateException("audit failed with status " + status);
    }
    var summary = Json.mapper().readTree(Files.readString(out.resolve("audit.json")));
    System.out.printf(
        "AUDIT rows=%d classes=%d total=%.1fs stages=%s counts=%s%n",
        rows, classes, seconds, summary.get("seconds"), summary.get("counts"));
  }
}
