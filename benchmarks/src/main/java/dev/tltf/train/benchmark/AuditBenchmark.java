package dev.tltf.train.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.benchmark.BenchmarkArgs;
import dev.tltf.common.benchmark.BenchmarkResults;
import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.io.Json;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.benchmark.ForeignLoad;
import dev.tltf.train.audit.AuditCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The audit's cost, one JVM on local[2]: {@code rows} × 2048 synthetic avg_pool-like vectors in
 * {@code classes} classes ({@link SyntheticVectorStore}), audited with bin/audit's entry point (all
 * stages: reading, exact and near duplicates, out-of-fold heads, outliers, report), with wall and
 * CPU seconds per stage from audit.json, the heap's peak and how many cores other processes kept
 * busy meanwhile (this machine is shared).
 *
 * <pre>
 * AuditBenchmark --work DIR [--out R.txt] [--rows 20000] [--classes 100] [--signal 0.25]
 *     [--audit-settings "audit flags"]
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
    resetHeapPeaks();
    ForeignLoad load = ForeignLoad.start(List.of(ProcessHandle.current().pid()));
    long start = System.nanoTime();
    int status =
        JobMain.run(
            new AuditCommand(),
            ConfDefaults.load(null),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
            flags.toArray(String[]::new));
    double seconds = (System.nanoTime() - start) / 1e9;
    double foreign = load.cores();
    if (status != 0) {
      throw new IllegalStateException("audit failed with status " + status);
    }
    JsonNode summary = Json.mapper().readTree(Files.readString(out.resolve("audit.json")));
    BenchmarkResults results =
        new BenchmarkResults()
            .put("audit.rows", rows)
            .put("audit.classes", classes)
            .put("audit.settings", settings.isBlank() ? "defaults" : settings.trim())
            .put("audit.seconds", seconds)
            .put("audit.foreign_load_cores", foreign)
            .put("audit.heap_peak_mb", heapPeakMb())
            .put("audit.heap_max_mb", Runtime.getRuntime().maxMemory() / 1048576.0)
            .put("audit.distributed", summary.path("settings").path("distributed").asText())
            .put("audit.block_rows", summary.path("settings").path("blockRows").asDouble())
            .put("audit.near_pairs", summary.path("counts").path("nearDuplicatePairs").asDouble())
            .put("audit.suspects", summary.path("counts").path("suspects").asDouble());
    StringBuilder stages = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = summary.path("seconds").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> stage = it.next();
      double cpu = summary.path("cpuSeconds").path(stage.getKey()).asDouble();
      results.put("audit.stage." + stage.getKey() + ".seconds", stage.getValue().asDouble());
      results.put("audit.stage." + stage.getKey() + ".cpu_seconds", cpu);
      stages.append(stages.length() == 0 ? "" : ",").append(stage.getKey());
    }
    results.put("audit.stages", stages.toString());
    if (!a.text("out", "").isBlank()) {
      results.write(a.path("out"));
    }
    System.out.printf(
        "AUDIT rows=%d classes=%d total=%.1fs other-processes=%.2f cores heap-peak=%.0f MB "
            + "seconds=%s cpuSeconds=%s counts=%s%n",
        rows,
        classes,
        seconds,
        foreign,
        heapPeakMb(),
        summary.get("seconds"),
        summary.get("cpuSeconds"),
        summary.get("counts"));
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since {@link #resetHeapPeaks}: an upper bound of the heap. */
  private static double heapPeakMb() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes / 1048576.0;
  }
}
