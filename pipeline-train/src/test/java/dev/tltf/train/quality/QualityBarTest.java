package dev.tltf.train.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.data.Split;
import dev.tltf.common.io.Json;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.TrainHeadCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality bar: on the same cached vectors and the same split, the default head (and the distributed one) is at
 * least as accurate on the test split as Spark MLlib's multinomial LogisticRegression with its regularisation chosen
 * on the validation split from a small grid.
 */
class QualityBarTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final int CLASSES = 8;

  @TempDir
  static Path dir;
  static String store;
  static List<StoreFixtures.Vector> vectors;
  static double mllibTestAccuracy;

  @BeforeAll
  static void baseline() throws Exception {
    store = dir.resolve("store").toString();
    vectors = StoreFixtures.overlappingClasses(CLASSES, 300, 96, 1.2, 77);
    StoreFixtures.write(SPARK, store, StoreFixtures.fingerprint("random:1", 96), vectors);
    Split split = new Split(80, 10);
    Map<Split.Part, Dataset<Row>> parts = new java.util.EnumMap<>(Split.Part.class);
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", SQLDataTypes.VectorType());
    for (Split.Part part : Split.Part.values()) {
      List<Row> rows = new ArrayList<>();
      for (StoreFixtures.Vector v : vectors) {
        if (split.partOf(v.imageId()) == part) {
          double[] values = new double[v.values().length];
          for (int d = 0; d < values.length; d++) {
            values[d] = v.values()[d];
          }
          double label = Integer.parseInt(v.path().substring(5, v.path().indexOf('/')));
          rows.add(RowFactory.create(label, Vectors.dense(values)));
        }
      }
      parts.put(part, SPARK.createDataFrame(rows, schema));
    }
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    double bestValidation = -1;
    for (double reg : new double[] {1e-4, 1e-3, 1e-2, 1e-1}) {
      LogisticRegressionModel model = new LogisticRegression().setFamily("multinomial").setRegParam(reg)
          .setMaxIter(200).fit(parts.get(Split.Part.TRAIN));
      double validation = accuracy.evaluate(model.transform(parts.get(Split.Part.VALIDATION)));
      System.out.printf("MLLIB reg %s validation %.4f test %.4f%n", reg, validation,
          accuracy.evaluate(model.transform(parts.get(Split.Part.TEST))));
      if (validation > bestValidation) {
        bestValidation = validation;
        mllibTestAccuracy = accuracy.evaluate(model.transform(parts.get(Split.Part.TEST)));
      }
    }
  }

  private static double headTestAccuracy(String name, String... extra) throws Exception {
    Path head = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("--features", store, "--out", head.toString()));
    args.addAll(List.of(extra));
    StringWriter err = new StringWriter();
    assertEquals(0, JobMain.run(new TrainHeadCommand(), ConfDefaults.load(null), new PrintWriter(err, true),
        args.toArray(String[]::new)), err.toString());
    return Json.mapper().readTree(Files.readString(head.resolve("metrics.json"))).at("/test/accuracy").asDouble();
  }

  @Test
  void theDefaultHeadIsAtLeastAsAccurateAsTunedLogisticRegression() throws Exception {
    double ours = headTestAccuracy("default");
    System.out.printf("quality bar: default head %.4f, MLlib LogisticRegression %.4f%n", ours, mllibTestAccuracy);
    assertTrue(mllibTestAccuracy > 0.5 && mllibTestAccuracy < 0.995, "the task must be neither trivial nor hopeless: "
        + mllibTestAccuracy);
    assertTrue(ours >= mllibTestAccuracy, "head " + ours + " < MLlib " + mllibTestAccuracy);
  }

  @Test
  void theDistributedHeadReachesTheSameBar() throws Exception {
    double distributed = headTestAccuracy("distributed", "--distributed");
    System.out.printf("quality bar: distributed head %.4f, MLlib LogisticRegression %.4f%n", distributed,
        mllibTestAccuracy);
    assertTrue(distributed >= mllibTestAccuracy, "distributed head " + distributed + " < MLlib " + mllibTestAccuracy);
  }
}
