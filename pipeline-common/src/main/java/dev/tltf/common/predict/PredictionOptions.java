package dev.tltf.common.predict;

import dev.tltf.common.cli.ConfSection;
import dev.tltf.common.error.InvalidInputException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * The flags of both predict commands (from vectors and from images) that say which head predicts
 * and how its predictions are written; defaults are {@code predict.*} in conf/. The {@code order}
 * values place them on each help page among the command's own flags, which the command numbers in
 * between (10 head, 30 out, 60 top-k, 70 format, 500 overwrite; the image flags take 50–400).
 */
@ConfSection("predict")
public final class PredictionOptions {
  @Option(
      names = "--head",
      required = true,
      order = 10,
      paramLabel = "DIR",
      description = "Head directory (from train-head).")
  String head;

  @Option(
      names = "--out",
      required = true,
      order = 30,
      paramLabel = "URI",
      description =
          "Where to write the predictions: a "
              + "directory for Parquet, one file for CSV (e.g. predictions.csv).")
  String out;

  @Option(
      names = "--top-k",
      order = 60,
      paramLabel = "K",
      description = "Labels per image, best first. Default: ${DEFAULT-VALUE}.")
  int topK;

  @Option(
      names = "--format",
      order = 70,
      paramLabel = "FORMAT",
      description =
          "parquet (top_k as a list) or csv (label_1, "
              + "probability_1, …). Default: ${DEFAULT-VALUE}.")
  PredictionOutput.Format format;

  @Option(
      names = "--overwrite",
      order = 500,
      description = "Replace existing predictions at --out.")
  boolean overwrite;

  public String head() {
    return head;
  }

  /** Fails on a bad --top-k, before any work. */
  public void check() {
    InvalidInputException.check(topK >= 1, "Invalid --top-k: %d (must be ≥ 1).", topK);
  }

  /** Labels per image for a head of {@code classes} classes: --top-k, at most all of them. */
  public int k(int classes) {
    return Math.min(topK, classes);
  }

  /** Fails before any work when --out may not be written. */
  public void checkCanCreate(Configuration conf) throws IOException {
    PredictionOutput.checkCanCreate(out, overwrite, conf);
  }

  /** Writes {@code predictions} (top {@code k} each) to --out in --format. */
  public PredictionOutput.Counts write(SparkSession spark, Dataset<Row> predictions, int k)
      throws IOException {
    return PredictionOutput.write(spark, predictions, k, format, out, overwrite);
  }

  /**
   * What the summary line says was written, e.g. {@code top-3 labels written to p.csv (one CSV
   * file)}.
   */
  public String written(int k) {
    return String.format(
        java.util.Locale.ROOT,
        "top-%d labels written to %s (%s)",
        k,
        out,
        PredictionOutput.describe(format));
  }
}
