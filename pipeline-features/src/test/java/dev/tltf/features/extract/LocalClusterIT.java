package dev.tltf.features.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.demo.SyntheticImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged job jar through bin/extract-features on a {@code local-cluster[2,1,1024]} master:
 * two executors in their own JVMs, started from the local Spark home, so everything that crosses
 * the wire is really serialised and the jar really carries what executors need. The vectors must
 * equal those of a run in local mode.
 */
class LocalClusterIT {
  private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path dir;

  private static String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
    builder.environment().remove("SPARK_HOME");
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "bin/extract-features did not finish");
    String text = new String(output, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), text);
    return text;
  }

  private static List<String> extract(Path images, Path out, String... spark) {
    List<String> command =
        new ArrayList<>(List.of(PROJECT.resolve("bin/extract-features").toString()));
    command.addAll(List.of(spark));
    command.addAll(
        List.of(
            "--images",
            images.toString(),
            "--out",
            out.toString(),
            "--random-weights",
            "11",
            "--image-size",
            "75",
            "--batch-size",
            "3",
            "--partitions",
            "4"));
    return command;
  }

  @Test
  void executorsInSeparateJvmsComputeTheSameVectorsAsLocalMode() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 3, 21, 40, 80);
    Files.writeString(images.resolve("circles/broken.png"), "not a png");

    String cluster =
        run(
            extract(
                images,
                dir.resolve("cluster"),
                "--master",
                "local-cluster[2,1,1024]",
                "--conf",
                "spark.executor.memory=1g"));
    assertTrue(
        cluster.contains(
            "13 listed, 0 already stored, 12 computed, 12 feature rows and 1 error rows"),
        cluster);
    run(extract(images, dir.resolve("local"), "--master", "local[2]"));

    SparkSession spark = SharedSpark.session();
    Map<String, List<Float>> local = new HashMap<>();
    for (Row row : spark.read().parquet(dir.resolve("local/features").toString()).collectAsList()) {
      local.put(row.getString(row.fieldIndex("path")), row.getList(row.fieldIndex("features")));
    }
    List<Row> rows =
        spark.read().parquet(dir.resolve("cluster/features").toString()).collectAsList();
    assertEquals(12, rows.size());
    for (Row row : rows) {
      List<Float> expected = local.get(row.getString(row.fieldIndex("path")));
      List<Float> actual = row.getList(row.fieldIndex("features"));
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(
            expected.get(i), actual.get(i), 1e-4f * Math.max(1f, Math.abs(expected.get(i))));
      }
    }
    assertEquals(1, spark.read().parquet(dir.resolve("cluster/errors").toString()).count());
  }
}
