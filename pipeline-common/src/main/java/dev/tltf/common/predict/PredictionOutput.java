package dev.tltf.common.predict;

import static org.apache.spark.sql.functions.col;

import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.io.WriteAside;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes predictions ({@link PredictionRows#SCHEMA}): as a Parquet directory (the convention for
 * Parquet: part files and a marker), or as one CSV file at the path given ({@link PredictionCsv}:
 * top-k flattened into {@code label_1, probability_1, …}, rows sorted by path). Either is built in
 * a sibling staging directory and renamed into place, so a killed run leaves no half-written
 * predictions; the predictions are computed in parallel into that staging directory even for CSV,
 * and only the final file is streamed through the driver.
 */
public final class PredictionOutput {
  /** Written last into every predictions directory; how --overwrite knows the directory is ours. */
  static final String MARKER = "_tltf_predictions.json";

  /** Output formats. */
  public enum Format {
    PARQUET,
    CSV
  }

  private PredictionOutput() {}

  /**
   * What was written: images with a prediction and images without one (their row has only an
   * error).
   */
  public record Counts(long predicted, long failed) {}

  public static Counts write(
      SparkSession spark,
      Dataset<Row> predictions,
      int k,
      Format format,
      String out,
      boolean overwrite)
      throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    checkCanCreate(out, overwrite, conf);
    Path target = HadoopPaths.qualify(out, conf);
    FileSystem fs = target.getFileSystem(conf);
    try (WriteAside aside = WriteAside.directory(fs, target)) {
      Path staging = aside.temp();
      Path table = format == Format.CSV ? new Path(staging, "rows") : staging;
      predictions.write().parquet(table.toString());
      Dataset<Row> written = spark.read().parquet(table.toString());
      long failed = written.filter(col("error").isNotNull()).count();
      long total = written.count();
      if (format == Format.CSV) {
        Path file = new Path(staging, target.getName());
        PredictionCsv.write(
            HadoopPaths.fileSystem(file, conf).create(file, false),
            written.orderBy("path").toLocalIterator(),
            k);
        aside.commit(file); // the rows it was built from go with the staging directory
      } else {
        try (OutputStream marker = fs.create(new Path(staging, MARKER), false)) {
          marker.write(("{\"predictions\": " + total + "}\n").getBytes(StandardCharsets.UTF_8));
        }
        aside.commit();
      }
      return new Counts(total - failed, failed);
    }
  }

  /**
   * Fails before any work when --out may not be written (see {@link HadoopPaths#checkCanCreate}):
   * tltf's own predictions are a Parquet directory with the marker, or a CSV file starting with
   * tltf's header.
   */
  public static void checkCanCreate(String out, boolean overwrite, Configuration conf)
      throws IOException {
    HadoopPaths.checkCanCreate(
        "predictions", out, overwrite, PredictionOutput::writtenByTltf, conf);
  }

  private static boolean writtenByTltf(FileSystem fs, Path path) throws IOException {
    if (HadoopPaths.isDirectory(fs, path)) {
      return HadoopPaths.isFile(fs, new Path(path, MARKER));
    }
    try (InputStream in = fs.open(path)) {
      return PredictionCsv.hasOurHeader(in);
    }
  }

  public static String describe(Format format) {
    return format == Format.CSV ? "one CSV file" : format.name().toLowerCase(Locale.ROOT);
  }
}
