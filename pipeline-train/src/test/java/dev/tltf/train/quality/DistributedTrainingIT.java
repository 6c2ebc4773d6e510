package dev.tltf.train.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.io.Json;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/train-head --distributed on a {@code local-cluster[2,1,1024]} master: dl4j-spark trains on
 * two executors in their own JVMs, from the packaged job jar, and the head is as good as one
 * trained locally on a separable task.
 */
class DistributedTrainingIT {
  private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path dir;

  @Test
  void trainsOnSeparateExecutorJvms() throws Exception {
    String store = dir.resolve("store").toString();
    StoreFixtures.write(
        SharedSpark.session(),
        store,
        StoreFixtures.fingerprint("random:1", 32),
        StoreFixtures.blobs(List.of("a", "b", "c", "d"), 60, 32, 0.5, 9));
    Path head = dir.resolve("head");
    ProcessBuilder builder =
        new ProcessBuilder(
                PROJECT.resolve("bin/train-head").toString(),
                "--master",
                "local-cluster[2,1,1024]",
                "--conf",
                "spark.executor.memory=1g",
                "--features",
                store,
                "--out",
                head.toString(),
                "--distributed",
                "--l2",
                "0.0001",
                "--epochs",
                "30")
            .directory(PROJECT.toFile())
            .redirectErrorStream(true);
    builder.environment().remove("SPARK_HOME");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("(distributed)"), output);
    double accuracy =
        Json.mapper()
            .readTree(Files.readString(head.resolve("metrics.json")))
            .at("/test/accuracy")
            .asDouble();
    assertTrue(accuracy >= 0.95, "test accuracy " + accuracy + "\n" + output);
  }
}
