package dev.tltf.train.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.io.Json;
import dev.tltf.common.split.Split;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.TrainHeadCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality bar on the existing overlapping-classes data (8 classes × 300 in 96 dimensions): on
 * the same cached vectors and split, the default head (and the distributed one) is within {@value
 * #MARGIN} test accuracy of a converged multinomial logistic regression with its L2 chosen on the
 * validation split ({@link ConvergedLogisticRegression}, MLlib with a tight tolerance).
 */
class QualityBarTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final int CLASSES = 8;
  static final double MARGIN = 0.02;

  @TempDir static Path dir;
  static String store;
  static List<StoreFixtures.Vector> vectors;
  static double referenceTestAccuracy;

  @BeforeAll
  static void baseline() throws Exception {
    store = dir.resolve("store").toString();
    vectors = StoreFixtures.overlappingClasses(CLASSES, 300, 96, 1.2, 77);
    StoreFixtures.write(SPARK, store, StoreFixtures.fingerprint("random:1", 96), vectors);
    Split split = new Split(80, 10);
    List<ConvergedLogisticRegression.Example> examples = new ArrayList<>();
    for (StoreFixtures.Vector v : vectors) {
      double label = Integer.parseInt(v.path().substring(5, v.path().indexOf('/')));
      examples.add(
          new ConvergedLogisticRegression.Example(label, v.values(), split.partOf(v.imageId())));
    }
    referenceTestAccuracy = ConvergedLogisticRegression.fit(SPARK, examples).testAccuracy();
  }

  private static double headTestAccuracy(String name, String... extra) throws Exception {
    Path head = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("--features", store, "--out", head.toString()));
    args.addAll(List.of(extra));
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        JobMain.run(
            new TrainHeadCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            args.toArray(String[]::new)),
        err.toString());
    return Json.mapper()
        .readTree(Files.readString(head.resolve("metrics.json")))
        .at("/test/accuracy")
        .asDouble();
  }

  @Test
  void theDefaultHeadIsAsAccurateAsAConvergedTunedLogisticRegression() throws Exception {
    double ours = headTestAccuracy("default");
    System.out.printf(
        "quality bar: default head %.4f, converged logistic regression %.4f%n",
        ours, referenceTestAccuracy);
    assertTrue(
        referenceTestAccuracy > 0.5 && referenceTestAccuracy < 0.995,
        "the task must be neither trivial nor " + "hopeless: " + referenceTestAccuracy);
    assertTrue(
        ours >= referenceTestAccuracy - MARGIN,
        "head " + ours + " < reference " + referenceTestAccuracy + " - " + MARGIN);
  }

  @Test
  void theDistributedHeadReachesTheSameBar() throws Exception {
    double distributed = headTestAccuracy("distributed", "--distributed");
    System.out.printf(
        "quality bar: distributed head %.4f, converged logistic regression %.4f%n",
        distributed, referenceTestAccuracy);
    assertTrue(
        distributed >= referenceTestAccuracy - MARGIN,
        "distributed head "
            + distributed
            + " < reference "
            + referenceTestAccuracy
            + " - "
            + MARGIN);
  }
}
