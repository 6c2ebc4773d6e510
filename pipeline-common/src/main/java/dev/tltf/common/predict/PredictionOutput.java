package dev.tltf.common.predict;

import static org.apache.spark.sql.functions.col;

import dev.tltf.common.io.HadoopPaths;
import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes predictions ({@link PredictionRows#SCHEMA}) as Parquet, or as one CSV file with the top-k flattened into
 * {@code label_1, probability_1, …}. The output is built in a hidden sibling directory and renamed into place, so a
 * killed run leaves no half-written predictions.
 */
public final class PredictionOutput {
  /** Written last into every predictions directory; how --overwrite knows the directory is ours. */
  static final String MARKER = "_tltf_predictions.json";

  /** Output formats. */
  public enum Format { PARQUET, CSV }

  private PredictionOutput() {}

  /** What was written: images with a prediction and images without one (their row has only an error). */
  public record Counts(long predicted, long failed) {}

  public static Counts write(SparkSession spark, Dataset<Row> predictions, int k, Format format, String out,
      boolean overwrite) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    checkCanCreate(out, overwrite, conf);
    Path target = HadoopPaths.qualify(out, conf);
    Path temp = HadoopPaths.temporarySibling(target);
    FileSystem fs = target.getFileSystem(conf);
    try {
      if (format == Format.CSV) {
        flatten(predictions, k).coalesce(1).write().option("header", "true").csv(temp.toString());
      } else {
        predictions.write().parquet(temp.toString());
      }
      Dataset<Row> written = format == Format.CSV
          ? spark.read().option("header", "true").csv(temp.toString())
          : spark.read().parquet(temp.toString());
      long failed = written.filter(col("error").isNotNull()).count();
      long total = written.count();
      try (java.io.OutputStream marker = fs.create(new Path(temp, MARKER), false)) {
        marker.write(("{\"predictions\": " + total + "}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      HadoopPaths.moveIntoPlace(fs, temp, target);
      return new Counts(total - failed, failed);
    } catch (IOException | RuntimeException e) {
      try {
        fs.delete(temp, true);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Fails before any work when --out may not be written (see {@link HadoopPaths#checkCanCreate}). */
  public static void checkCanCreate(String out, boolean overwrite, Configuration conf) throws IOException {
    HadoopPaths.checkCanCreate("predictions", out, overwrite,
        (fs, path) -> fs.isDirectory(path) && fs.isFile(new Path(path, MARKER)), conf);
  }

  public static String describe(Format format) {
    return format.name().toLowerCase(Locale.ROOT);
  }

  private static Dataset<Row> flatten(Dataset<Row> predictions, int k) {
    Column[] columns = new Column[3 + 2 * k];
    columns[0] = col("path");
    columns[1] = col("image_id");
    for (int i = 0; i < k; i++) {
      columns[2 + 2 * i] = col("top_k").getItem(i).getField("label").as("label_" + (i + 1));
      columns[3 + 2 * i] = col("top_k").getItem(i).getField("probability").as("probability_" + (i + 1));
    }
    columns[2 + 2 * k] = col("error");
    return predictions.select(columns);
  }
}
