package dev.tltf.common.store;

import dev.tltf.common.cli.InvalidInputException;
import dev.tltf.common.io.HadoopPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a feature store: only committed runs (those with a marker in {@code _tltf/runs/}) are visible, and the
 * backbone fingerprint comes with the data so that readers can refuse to mix vectors of different backbones.
 */
public final class FeatureStore {
  private final SparkSession spark;
  private final String location;
  private final StoreLayout layout;
  private final StoreManifest manifest;
  private final List<String> committedRuns;

  private FeatureStore(SparkSession spark, String location, StoreLayout layout, StoreManifest manifest,
      List<String> committedRuns) {
    this.spark = spark;
    this.location = location;
    this.layout = layout;
    this.manifest = manifest;
    this.committedRuns = List.copyOf(committedRuns);
  }

  /** Opens the store at {@code location}; anything that is not a readable tltf store is bad input. */
  public static FeatureStore open(SparkSession spark, String location) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      StoreLayout layout = new StoreLayout(HadoopPaths.qualify(location, conf));
      FileSystem fs = layout.root().getFileSystem(conf);
      InvalidInputException.check(fs.exists(layout.root()),
          "Cannot read feature store %s: it does not exist.", location);
      InvalidInputException.check(fs.exists(layout.manifest()),
          "Cannot read feature store %s: it has no _tltf/store.json, so it was not written by tltf extract-features.",
          location);
      StoreManifest manifest = readManifest(layout, conf, location);
      return new FeatureStore(spark, location, layout, manifest, listCommittedRuns(fs, layout));
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read feature store " + location + ": " + e.getMessage(), e);
    }
  }

  static StoreManifest readManifest(StoreLayout layout, Configuration conf, String location) throws IOException {
    StoreManifest manifest;
    try {
      manifest = StoreManifest.fromJson(HadoopPaths.readUtf8(layout.manifest(), conf));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("Cannot read feature store " + location + ": _tltf/store.json is damaged ("
          + e.getMessage() + ").", e);
    }
    InvalidInputException.check(StoreManifest.FORMAT.equals(manifest.format()) && manifest.fingerprint() != null,
        "Cannot read feature store %s: _tltf/store.json does not describe a tltf feature store.", location);
    InvalidInputException.check(manifest.formatVersion() <= StoreManifest.FORMAT_VERSION,
        "Cannot read feature store %s: it has format version %d, and this tltf reads versions up to %d.",
        location, manifest.formatVersion(), StoreManifest.FORMAT_VERSION);
    return manifest;
  }

  static List<String> listCommittedRuns(FileSystem fs, StoreLayout layout) throws IOException {
    List<String> runs = new ArrayList<>();
    try {
      for (FileStatus status : fs.listStatus(layout.runsDir())) {
        String name = status.getPath().getName();
        if (status.isFile() && name.endsWith(".json") && !name.startsWith(".")) {
          runs.add(name.substring(0, name.length() - ".json".length()));
        }
      }
    } catch (FileNotFoundException e) {
      return runs;
    }
    runs.sort(null);
    return runs;
  }

  public String location() {
    return location;
  }

  public StoreLayout layout() {
    return layout;
  }

  public BackboneFingerprint fingerprint() {
    return manifest.fingerprint();
  }

  public List<String> committedRuns() {
    return committedRuns;
  }

  /** Fails when the store's vectors did not come from {@code expected}, naming both backbones. */
  public void requireFingerprint(BackboneFingerprint expected, String expectedOwner) {
    if (!fingerprint().equals(expected)) {
      throw new InvalidInputException(String.format(
          "Cannot use feature store %s with %s: the store holds features of [%s] but %s expects [%s].",
          location, expectedOwner, fingerprint().describe(), expectedOwner, expected.describe()));
    }
  }

  /** The feature rows of all committed runs, with the partition column {@code run}. */
  public Dataset<Row> features() {
    Dataset<Row> rows = readTable(layout.featuresTable(), FeatureStoreSchema.FEATURE_ROWS, this::featuresPath);
    checkVectorColumn(rows.schema());
    return rows;
  }

  /** The error rows of all committed runs, with the partition column {@code run}. */
  public Dataset<Row> errors() {
    return readTable(layout.errorsTable(), FeatureStoreSchema.ERROR_ROWS, this::errorsPath);
  }

  private String featuresPath(String run) {
    return layout.featuresPartition(run).toString();
  }

  private String errorsPath(String run) {
    return layout.errorsPartition(run).toString();
  }

  private Dataset<Row> readTable(Path table, StructType schema, java.util.function.Function<String, String> partition) {
    if (committedRuns.isEmpty()) {
      return spark.createDataFrame(List.of(), schema.add(FeatureStoreSchema.RUN, DataTypes.StringType, false));
    }
    String[] paths = committedRuns.stream().map(partition).toArray(String[]::new);
    try {
      return spark.read().option("basePath", table.toString()).parquet(paths);
    } catch (RuntimeException e) {
      throw new InvalidInputException("Cannot read feature store " + location + ": its Parquet data under "
          + table + " are unreadable (" + firstLine(e) + ").", e);
    }
  }

  private void checkVectorColumn(StructType schema) {
    List<String> names = Arrays.asList(schema.fieldNames());
    for (String required : List.of(FeatureStoreSchema.IMAGE_ID, FeatureStoreSchema.PATH, FeatureStoreSchema.FEATURES)) {
      InvalidInputException.check(names.contains(required),
          "Cannot read feature store %s: its features table has no column '%s' (columns: %s).",
          location, required, String.join(", ", names));
    }
    StructField vector = schema.apply(FeatureStoreSchema.FEATURES);
    InvalidInputException.check(vector.dataType() instanceof ArrayType array
            && array.elementType().equals(DataTypes.FloatType),
        "Cannot read feature store %s: column 'features' is %s, expected array<float>.",
        location, vector.dataType().simpleString());
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
