package dev.tltf.train.benchmark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.tltf.common.split.Split;
import dev.tltf.common.store.FeatureStoreSchema;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import scala.collection.mutable.WrappedArray;

/**
 * What a Spark user would otherwise run: MLlib's multinomial LogisticRegression on the same store
 * and the same split (the head's default 80/10/10 by image_id). The vectors are converted and
 * cached before the clock starts, so the time is the fit alone.
 */
final class MllibBaseline {
  /** Seconds to fit, and accuracy on the test split. */
  record Outcome(double fitSeconds, double testAccuracy, int iterations) {}

  private MllibBaseline() {}

  static Outcome run(SparkSession spark, String store, double regParam, int maxIter) {
    // The head's default split, rebuilt inside the function: Split itself is not serializable.
    UserDefinedFunction part =
        udf((UDF1<String, String>) id -> new Split(80, 10).partOf(id).code(), DataTypes.StringType);
    UserDefinedFunction label =
        udf(
            (UDF1<String, Double>) path -> Double.parseDouble(path.substring(5, path.indexOf('/'))),
            DataTypes.DoubleType);
    UserDefinedFunction vector =
        udf(
            (UDF1<WrappedArray<Float>, org.apache.spark.ml.linalg.Vector>)
                values -> {
                  double[] d = new double[values.length()];
                  for (int i = 0; i < d.length; i++) {
                    d[i] = values.apply(i);
                  }
                  return Vectors.dense(d);
                },
            SQLDataTypes.VectorType());
    Dataset<Row> all =
        spark
            .read()
            .parquet(store + "/features")
            .select(
                part.apply(col(FeatureStoreSchema.IMAGE_ID)).as("part"),
                label.apply(col(FeatureStoreSchema.PATH)).as("label"),
                vector.apply(col(FeatureStoreSchema.FEATURES)).as("features"));
    Dataset<Row> train =
        all.filter(col("part").equalTo("train"))
            .select("label", "features")
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> test =
        all.filter(col("part").equalTo("test"))
            .select("label", "features")
            .persist(StorageLevel.MEMORY_AND_DISK());
    train.count();
    test.count();
    long start = System.nanoTime();
    LogisticRegressionModel model =
        new LogisticRegression()
            .setFamily("multinomial")
            .setRegParam(regParam)
            .setMaxIter(maxIter)
            .fit(train);
    double seconds = (System.nanoTime() - start) / 1e9;
    double accuracy =
        new MulticlassClassificationEvaluator()
            .setMetricName("accuracy")
            .evaluate(model.transform(test));
    train.unpersist();
    test.unpersist();
    return new Outcome(seconds, accuracy, model.summary().totalIterations());
  }
}
