package dev.tltf.features.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.benchmark.BenchmarkArgs;
import dev.tltf.common.benchmark.BenchmarkResults;
import dev.tltf.common.io.Json;
import dev.tltf.features.backbone.OfficialLayoutWeights;
import dev.tltf.features.demo.SyntheticImages;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Benchmark step (g), issue 17: what a re-run costs when little or nothing changed, on a tree of
 * {@code --files} small files (100 folders).
 *
 * <ol>
 *   <li>(a) listing the tree with Hadoop's FileSystem API alone: {@code listFiles(path, true)}
 *       once, and a recursive {@code listStatus} walk (median of 3), in this JVM; the faster is the
 *       baseline;
 *   <li>(b) an unchanged re-run of extract-features over it: files opened must be 0;
 *   <li>(c) a re-run after adding {@code --added} real images: files opened must be exactly those;
 *   <li>(d) the fixed start-up of each run (JVM start to the listing), reported separately.
 * </ol>
 *
 * <p>The initial store is written by the real job, not faked: the tree's files are small and not
 * images ({@code .jpg} files of a few bytes, each different), so the first run opens and hashes
 * every one, finds no decodable image and stores each as an {@code unsupported_format} error row
 * with its size and modification time. Such a failure depends only on the bytes, so it stands on a
 * re-run exactly as a vector does (same rule, same columns read); a first run over 100,000 real
 * images would take hours of forward passes here and measure nothing this step is about. Each run
 * is its own JVM ({@code java -cp … ExtractFeaturesCommand}, {@code local[2]}), so start-up is a
 * real one; (b) and (c) are the run's wall time minus its start-up.
 *
 * <pre>
 * IncrementalRunBenchmark --root REPO --weights W.h5 --work DIR --files N --added K --out R.txt
 * </pre>
 */
public final class IncrementalRunBenchmark {
  private static final int FOLDERS = 100;

  private IncrementalRunBenchmark() {}

  public static void main(String[] argv) throws Exception {
    BenchmarkArgs args = BenchmarkArgs.parse(argv);
    int files = args.integer("files", 100_000);
    int added = args.integer("added", 100);
    Path work = Files.createDirectories(args.path("work"));
    Path tree = work.resolve("tree-" + files);
    Path store = work.resolve("tree-" + files + "-store");
    deleteTree(tree);
    deleteTree(store);
    writeTree(tree, files);
    Path weights = args.path("weights");
    if (!Files.isRegularFile(weights)) {
      Files.createDirectories(weights.toAbsolutePath().getParent());
      OfficialLayoutWeights.write(weights, 20_240_611);
    }
    Job job = new Job(args.path("root"), weights.toString(), tree, store, work);

    Run first = job.run("first");
    check(first.summary.get("listed").asLong() == files, "first run listed " + first.summary);

    // Hadoop's local file system builds each LocatedFileStatus with its permissions, which it gets
    // by running a shell command per file: listFiles is timed once, and the baseline is the faster
    // recursive listStatus walk (the ratio is then against the cheapest Hadoop listing).
    long start = System.nanoTime();
    long listed = hadoopListFiles(tree);
    double listFiles = (System.nanoTime() - start) / 1e9;
    check(listed == files, "Hadoop listFiles listed " + listed + " of " + files + " files");
    List<Double> listings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      start = System.nanoTime();
      listed = hadoopListStatus(tree);
      listings.add((System.nanoTime() - start) / 1e9);
    }
    check(listed == files, "Hadoop listStatus listed " + listed + " of " + files + " files");
    double listing = Math.min(listFiles, listings.stream().sorted().toList().get(1));

    Run unchanged = job.run("unchanged");
    check(unchanged.opened() == 0, "the unchanged re-run opened " + unchanged.opened() + " files");

    SyntheticImages.write(
        tree.resolve("added"), Math.max(1, added / SyntheticImages.CLASSES.size()), 17, 40, 70);
    int addedFiles = Math.max(1, added / SyntheticImages.CLASSES.size()) * 4;
    Run grown = job.run("added");
    check(
        grown.opened() == addedFiles,
        "the re-run after adding " + addedFiles + " images opened " + grown.opened());

    BenchmarkResults results =
        new BenchmarkResults()
            .put("incr.files", files)
            .put("incr.listing_seconds", listing)
            .put("incr.list_status_seconds", listings.stream().sorted().toList().get(1))
            .put("incr.list_files_seconds", listFiles)
            .put("incr.first_wall_seconds", first.wall)
            .put("incr.added", addedFiles);
    unchanged.put(results, "incr.unchanged");
    grown.put(results, "incr.added");
    results.write(args.path("out"));
    System.out.printf(
        java.util.Locale.ROOT,
        "Incremental runs over %,d files: Hadoop listing %.2f s; unchanged re-run %.2f s after "
            + "%.2f s start-up (%d opened), ratio %.2f; after adding %d images %.2f s after %.2f s "
            + "start-up (%d opened, %d computed)%n",
        files,
        listing,
        unchanged.afterStartup(),
        unchanged.startup(),
        unchanged.opened(),
        unchanged.afterStartup() / listing,
        addedFiles,
        grown.afterStartup(),
        grown.startup(),
        grown.opened(),
        grown.summary.get("computed").asLong());
  }

  /** {@code count} files of a few bytes each, all different, none an image. */
  static void writeTree(Path tree, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      Path folder = tree.resolve(String.format("d%03d", i % FOLDERS));
      if (i < FOLDERS) {
        Files.createDirectories(folder);
      }
      Files.write(
          folder.resolve(String.format("f%07d.jpg", i)),
          ("tltf benchmark file " + i + "\n").getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Files under {@code tree} by one recursive {@code FileSystem.listFiles} call. */
  static long hadoopListFiles(Path tree) throws IOException {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tree.toUri());
    FileSystem fs = root.getFileSystem(new Configuration());
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    long count = 0;
    long sizes = 0;
    while (it.hasNext()) {
      LocatedFileStatus status = it.next();
      sizes += status.getLen() + status.getModificationTime() % 2; // both used, as a run does
      count++;
    }
    return sizes < 0 ? -1 : count;
  }

  /** Files under {@code tree} by {@code FileSystem.listStatus}, folder by folder. */
  static long hadoopListStatus(Path tree) throws IOException {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tree.toUri());
    FileSystem fs = root.getFileSystem(new Configuration());
    List<org.apache.hadoop.fs.Path> folders = new ArrayList<>(List.of(root));
    long count = 0;
    long sizes = 0;
    while (!folders.isEmpty()) {
      for (FileStatus status : fs.listStatus(folders.remove(folders.size() - 1))) {
        if (status.isDirectory()) {
          folders.add(status.getPath());
        } else {
          sizes += status.getLen() + status.getModificationTime() % 2;
          count++;
        }
      }
    }
    return sizes < 0 ? -1 : count;
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** One extract-features run: its wall time and the summary it committed. */
  private record Run(double wall, JsonNode summary) {
    long opened() {
      return summary.get("costs").get("filesOpened").asLong();
    }

    double startup() {
      return summary.get("costs").get("startupSeconds").asDouble();
    }

    double afterStartup() {
      return wall - startup();
    }

    void put(BenchmarkResults results, String prefix) {
      JsonNode costs = summary.get("costs");
      results
          .put(prefix + ".wall_seconds", wall)
          .put(prefix + ".startup_seconds", startup())
          .put(prefix + ".after_startup_seconds", afterStartup())
          .put(prefix + ".opened", (double) opened())
          .put(prefix + ".bytes_read", (double) costs.get("bytesRead").asLong())
          .put(prefix + ".computed", (double) summary.get("computed").asLong())
          .put(prefix + ".run_listing_seconds", costs.get("listingSeconds").asDouble())
          .put(prefix + ".run_hashing_seconds", costs.get("hashingSeconds").asDouble())
          .put(prefix + ".run_computing_seconds", costs.get("computingSeconds").asDouble())
          .put(prefix + ".run_committing_seconds", costs.get("committingSeconds").asDouble());
    }
  }

  /** extract-features in a JVM of its own, with this JVM's classpath and JVM options. */
  private record Job(Path root, String weights, Path tree, Path store, Path work) {
    Run run(String name) throws Exception {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
              .filter(a -> !a.startsWith("-Xmx"))
              .toList());
      command.addAll(
          Arrays.asList(
              "-Xmx2g",
              "-Dspark.master=local[2]",
              "-cp",
              System.getProperty("java.class.path"),
              "dev.tltf.features.extract.ExtractFeaturesCommand",
              "--images",
              tree.toString(),
              "--out",
              store.toString(),
              "--weights",
              weights,
              "--progress-seconds",
              "0"));
      Path log = work.resolve("incr-" + name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("TLTF_CONF_DIR", root.resolve("conf").toString());
      long start = System.nanoTime();
      int status = builder.start().waitFor();
      double wall = (System.nanoTime() - start) / 1e9;
      check(
          status == 0, "extract-features (" + name + ") failed (exit " + status + "); see " + log);
      return new Run(wall, lastSummary());
    }

    private JsonNode lastSummary() throws IOException {
      try (Stream<Path> runs = Files.list(store.resolve("_tltf/runs"))) {
        Path last =
            runs.filter(p -> p.toString().endsWith(".json"))
                .sorted()
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("No run summary in " + store));
        return Json.mapper().readTree(Files.readString(last));
      }
    }
  }
}
