package dev.tltf.train.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.io.Json;
import dev.tltf.common.split.Split;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.train.TrainHeadCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small labelled set transfer learning exists for: 300 generated pattern images through the
 * real feature job (a committed store, see {@code src/test/resources/quality/patterns/README.md}),
 * relabelled by CSV into 200 "lines" and 100 "dots", split 60/20/20 (a 54-image validation split).
 * The default head is within {@value QualityBarTest#MARGIN} test accuracy of a converged logistic
 * regression with L2 chosen on validation.
 */
class SmallUnbalancedQualityTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  @Test
  void theDefaultHeadMatchesAConvergedLogisticRegressionOnTwoUnbalancedClasses() throws Exception {
    Path resources =
        Path.of(SmallUnbalancedQualityTest.class.getResource("/quality/patterns").toURI());
    String store = resources.resolve("store").toString();
    Path labels = resources.resolve("labels.csv");
    Map<String, String> labelOf = new HashMap<>();
    for (String line : Files.readAllLines(labels).subList(1, 301)) {
      labelOf.put(line.substring(0, line.indexOf(',')), line.substring(line.indexOf(',') + 1));
    }
    Split split = new Split(60, 20);
    List<ConvergedLogisticRegression.Example> examples = new ArrayList<>();
    for (Row row :
        SPARK
            .read()
            .parquet(store + "/features")
            .select("image_id", "path", "features")
            .collectAsList()) {
      List<Float> values = row.getList(2);
      float[] vector = new float[values.size()];
      for (int d = 0; d < vector.length; d++) {
        vector[d] = values.get(d);
      }
      examples.add(
          new ConvergedLogisticRegression.Example(
              "dots".equals(labelOf.get(row.getString(1))) ? 0 : 1,
              vector,
              split.partOf(row.getString(0))));
    }
    assertEquals(300, examples.size());
    ConvergedLogisticRegression.Outcome reference =
        ConvergedLogisticRegression.fit(SPARK, examples);

    Path head = dir.resolve("head");
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        JobMain.run(
            new TrainHeadCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            "--features",
            store,
            "--labels",
            labels.toString(),
            "--train-percent",
            "60",
            "--validation-percent",
            "20",
            "--out",
            head.toString()),
        err.toString());
    JsonNode metrics = Json.mapper().readTree(Files.readString(head.resolve("metrics.json")));
    double ours = metrics.at("/test/accuracy").asDouble();
    System.out.printf(
        "patterns 200 vs 100: default head %.4f (l2 %s), converged logistic regression %.4f "
            + "(regParam %s)%n",
        ours, metrics.at("/l2").asDouble(), reference.testAccuracy(), reference.regParam());
    assertEquals("lbfgs", metrics.at("/solver").asText());
    int chosen = 0;
    for (JsonNode trial : metrics.at("/l2_path")) {
      chosen += trial.at("/chosen").asBoolean() ? 1 : 0;
      assertTrue(
          trial.has("validation_accuracy")
              && trial.has("validation_loss")
              && trial.has("iterations"),
          trial.toString());
    }
    assertEquals(1, chosen, metrics.at("/l2_path").toString());
    assertTrue(
        reference.testAccuracy() < 0.995,
        "the task must not be trivial: " + reference.testAccuracy());
    assertTrue(
        ours >= reference.testAccuracy() - QualityBarTest.MARGIN,
        "head "
            + ours
            + " < reference "
            + reference.testAccuracy()
            + " - "
            + QualityBarTest.MARGIN);
  }
}
