package dev.tltf.train.quality;

import dev.tltf.common.split.Split;
import dev.tltf.train.model.FullBatchTrainer;
import java.util.ArrayList;
import java.util.EnumMap;
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

/**
 * The independent reference of the quality tests: Spark MLlib's multinomial LogisticRegression (its
 * own L-BFGS, in double precision, standardising internally), fitted to a tight tolerance with many
 * iterations for every L2 of the head's path, the one with the best validation accuracy kept (ties:
 * the stronger, as the head does).
 */
final class ConvergedLogisticRegression {
  /** One labelled vector and the split part it falls in. */
  record Example(double label, float[] vector, Split.Part part) {}

  /** The kept regParam, its validation and test accuracy. */
  record Outcome(double regParam, double validationAccuracy, double testAccuracy) {}

  private ConvergedLogisticRegression() {}

  static Outcome fit(SparkSession spark, List<Example> examples) {
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType)
            .add("features", SQLDataTypes.VectorType());
    Map<Split.Part, List<Row>> rows = new EnumMap<>(Split.Part.class);
    for (Split.Part part : Split.Part.values()) {
      rows.put(part, new ArrayList<>());
    }
    for (Example e : examples) {
      double[] values = new double[e.vector().length];
      for (int d = 0; d < values.length; d++) {
        values[d] = e.vector()[d];
      }
      rows.get(e.part()).add(RowFactory.create(e.label(), Vectors.dense(values)));
    }
    Dataset<Row> train = spark.createDataFrame(rows.get(Split.Part.TRAIN), schema).cache();
    Dataset<Row> validation =
        spark.createDataFrame(rows.get(Split.Part.VALIDATION), schema).cache();
    Dataset<Row> test = spark.createDataFrame(rows.get(Split.Part.TEST), schema).cache();
    MulticlassClassificationEvaluator accuracy =
        new MulticlassClassificationEvaluator().setMetricName("accuracy");
    Outcome best = null;
    for (double reg : FullBatchTrainer.L2_PATH) {
      LogisticRegressionModel model =
          new LogisticRegression()
              .setFamily("multinomial")
              .setRegParam(reg)
              .setTol(1e-10)
              .setMaxIter(2000)
              .fit(train);
      double onValidation = accuracy.evaluate(model.transform(validation));
      double onTest = accuracy.evaluate(model.transform(test));
      System.out.printf(
          "reference regParam %s: %d iterations, validation %.4f, test %.4f%n",
          reg, model.summary().totalIterations(), onValidation, onTest);
      if (best == null || onValidation > best.validationAccuracy()) {
        best = new Outcome(reg, onValidation, onTest);
      }
    }
    train.unpersist();
    validation.unpersist();
    test.unpersist();
    return best;
  }
}
