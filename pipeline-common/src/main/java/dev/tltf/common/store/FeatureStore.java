package dev.tltf.common.store;

import static org.apache.spark.sql.functions.col;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.error.RetryableException;
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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a feature store: only committed runs (those with a marker in {@code _tltf/runs/}, less any
 * a compaction superseded) are visible, and the backbone fingerprint comes with the data so that
 * readers can refuse to mix vectors of different backbones. Rows are the store's current view: when
 * several runs hold a path (its file changed, or failed and later succeeded), the row of the latest
 * run wins.
 */
public final class FeatureStore {
  private final SparkSession spark;
  private final String location;
  private final StoreLayout layout;
  private final StoreManifest manifest;
  private final List<String> committedRuns;

  /** The committed runs that hold partitions: a run that added no rows has its marker only. */
  private final List<String> runsWithData;

  private FeatureStore(
      SparkSession spark,
      String location,
      StoreLayout layout,
      StoreManifest manifest,
      List<String> committedRuns,
      List<String> runsWithData) {
    this.spark = spark;
    this.location = location;
    this.layout = layout;
    this.manifest = manifest;
    this.committedRuns = List.copyOf(committedRuns);
    this.runsWithData = List.copyOf(runsWithData);
  }

  /**
   * Opens the store at {@code location}; anything that is not a readable tltf store is bad input.
   */
  public static FeatureStore open(SparkSession spark, String location) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      StoreLayout layout = new StoreLayout(HadoopPaths.qualify(location, conf));
      FileSystem fs = layout.root().getFileSystem(conf);
      InvalidInputException.check(
          fs.exists(layout.root()), "Cannot read feature store %s: it does not exist.", location);
      InvalidInputException.check(
          fs.exists(layout.manifest()),
          "Cannot read feature store %s: it has no _tltf/store.json, so it was not written by tltf extract-features.",
          location);
      StoreManifest manifest = readManifest(layout, conf, location);
      List<String> committed = listCommittedRuns(fs, layout);
      List<String> withData = new ArrayList<>();
      for (String run : committed) {
        if (fs.exists(layout.featuresPartition(run))) {
          withData.add(run);
        }
      }
      return new FeatureStore(spark, location, layout, manifest, committed, withData);
    } catch (IOException e) {
      throw RetryableException.fromIo("Cannot read feature store " + location, e);
    }
  }

  static StoreManifest readManifest(StoreLayout layout, Configuration conf, String location)
      throws IOException {
    StoreManifest manifest;
    try {
      manifest = StoreManifest.fromJson(HadoopPaths.readUtf8(layout.manifest(), conf));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "Cannot read feature store "
              + location
              + ": _tltf/store.json is damaged ("
              + e.getMessage()
              + ").",
          e);
    }
    InvalidInputException.check(
        StoreManifest.FORMAT.equals(manifest.format()) && manifest.fingerprint() != null,
        "Cannot read feature store %s: _tltf/store.json does not describe a tltf feature store.",
        location);
    InvalidInputException.check(
        manifest.formatVersion() <= StoreManifest.FORMAT_VERSION,
        "Cannot read feature store %s: it has format version %d, and this tltf reads versions up to %d.",
        location,
        manifest.formatVersion(),
        StoreManifest.FORMAT_VERSION);
    return manifest;
  }

  /** Runs with a marker, oldest first, less those that a committed compaction supersedes. */
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
    List<String> superseded = new ArrayList<>();
    for (String run : runs) {
      superseded.addAll(readSummary(fs, layout, run).supersedes());
    }
    runs.removeAll(superseded);
    runs.sort(null);
    return runs;
  }

  static RunSummary readSummary(FileSystem fs, StoreLayout layout, String runId)
      throws IOException {
    return RunSummary.fromJson(HadoopPaths.readUtf8(layout.runMarker(runId), fs.getConf()));
  }

  /** What each committed run did, oldest first. */
  public List<RunSummary> runSummaries() {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      FileSystem fs = layout.root().getFileSystem(conf);
      List<RunSummary> summaries = new ArrayList<>();
      for (String run : committedRuns) {
        summaries.add(readSummary(fs, layout, run));
      }
      return summaries;
    } catch (IOException e) {
      throw RetryableException.fromIo("Cannot read feature store " + location, e);
    }
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
      throw new InvalidInputException(
          String.format(
              "Cannot use feature store %s with %s: the store holds features of [%s] but %s expects [%s].",
              location,
              expectedOwner,
              fingerprint().describe(),
              expectedOwner,
              expected.describe()));
    }
  }

  /** The current feature rows, with the partition column {@code run}. */
  public Dataset<Row> features() {
    Dataset<Row> rows = allFeatureRows();
    return runsWithData.size() > 1 ? rows.join(latestRunPerPath(), columns(), "left_semi") : rows;
  }

  /**
   * The current answer for every path the store has seen: {@code path, image_id, error_class,
   * reason, file_size, modified_ms}, with {@code error_class} (and {@code reason}) null where the
   * answer is a vector, and the file columns null where the store did not record them. A new run
   * compares its files with this to read and write only what changed.
   */
  public Dataset<Row> currentRows() {
    Column noText = org.apache.spark.sql.functions.lit(null).cast(DataTypes.StringType);
    return features()
        .select(
            col(FeatureStoreSchema.PATH),
            col(FeatureStoreSchema.IMAGE_ID),
            noText.as(FeatureStoreSchema.ERROR_CLASS),
            noText.as(FeatureStoreSchema.REASON),
            col(FeatureStoreSchema.FILE_SIZE),
            col(FeatureStoreSchema.MODIFIED_MS))
        .unionByName(
            errors()
                .select(
                    FeatureStoreSchema.PATH,
                    FeatureStoreSchema.IMAGE_ID,
                    FeatureStoreSchema.ERROR_CLASS,
                    FeatureStoreSchema.REASON,
                    FeatureStoreSchema.FILE_SIZE,
                    FeatureStoreSchema.MODIFIED_MS));
  }

  /**
   * The current error rows (paths whose latest run failed them), with the partition column {@code
   * run}.
   */
  public Dataset<Row> errors() {
    Dataset<Row> rows = allErrorRows();
    return runsWithData.size() > 1 ? rows.join(latestRunPerPath(), columns(), "left_semi") : rows;
  }

  /** Every committed feature row, history included (what a plain Parquet reader sees). */
  public Dataset<Row> allFeatureRows() {
    Dataset<Row> rows =
        readTable(layout.featuresTable(), FeatureStoreSchema.FEATURE_ROWS, this::featuresPath);
    checkVectorColumn(rows.schema());
    return rows;
  }

  /** Every committed error row, history included. */
  public Dataset<Row> allErrorRows() {
    return readTable(layout.errorsTable(), FeatureStoreSchema.ERROR_ROWS, this::errorsPath);
  }

  private Dataset<Row> latestRunPerPath() {
    return allFeatureRows()
        .select(FeatureStoreSchema.PATH, FeatureStoreSchema.RUN)
        .union(allErrorRows().select(FeatureStoreSchema.PATH, FeatureStoreSchema.RUN))
        .groupBy(FeatureStoreSchema.PATH)
        .agg(org.apache.spark.sql.functions.max(FeatureStoreSchema.RUN).as(FeatureStoreSchema.RUN));
  }

  private static scala.collection.Seq<String> columns() {
    return scala.collection.JavaConverters.collectionAsScalaIterableConverter(
            List.of(FeatureStoreSchema.PATH, FeatureStoreSchema.RUN))
        .asScala()
        .toSeq();
  }

  /** A stored vector as floats, refusing one whose length is not the backbone's dimension. */
  public float[] toVector(List<Float> values, int dimension, String path) {
    if (values.size() != dimension) {
      throw new InvalidInputException(
          String.format(
              "Cannot read feature store %s: the vector of %s has %d values, but its backbone gives %d.",
              location, path, values.size(), dimension));
    }
    float[] vector = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      vector[i] = values.get(i);
    }
    return vector;
  }

  private String featuresPath(String run) {
    return layout.featuresPartition(run).toString();
  }

  private String errorsPath(String run) {
    return layout.errorsPartition(run).toString();
  }

  /**
   * A table's committed rows, always with the file columns: runs written before them had none (read
   * as null), and Spark takes a table's schema from one file, so the columns are named explicitly
   * rather than merged from every file's footer.
   */
  private Dataset<Row> readTable(
      Path table, StructType schema, java.util.function.Function<String, String> partition) {
    if (runsWithData.isEmpty()) {
      return spark.createDataFrame(
          List.of(),
          FeatureStoreSchema.withFileColumns(schema)
              .add(FeatureStoreSchema.RUN, DataTypes.StringType, false));
    }
    String[] paths = runsWithData.stream().map(partition).toArray(String[]::new);
    try {
      StructType found = spark.read().option("basePath", table.toString()).parquet(paths).schema();
      return spark
          .read()
          .schema(FeatureStoreSchema.withFileColumns(found))
          .option("basePath", table.toString())
          .parquet(paths);
    } catch (Exception e) { // Spark throws Hadoop's IOExceptions undeclared
      if (e instanceof IOException io) {
        throw RetryableException.fromIo("Cannot read feature store " + location, io);
      }
      throw new InvalidInputException(
          "Cannot read feature store "
              + location
              + ": its Parquet data under "
              + table
              + " are unreadable ("
              + firstLine(e)
              + ").",
          e);
    }
  }

  private void checkVectorColumn(StructType schema) {
    List<String> names = Arrays.asList(schema.fieldNames());
    for (String required :
        List.of(
            FeatureStoreSchema.IMAGE_ID, FeatureStoreSchema.PATH, FeatureStoreSchema.FEATURES)) {
      InvalidInputException.check(
          names.contains(required),
          "Cannot read feature store %s: its features table has no column '%s' (columns: %s).",
          location,
          required,
          String.join(", ", names));
    }
    StructField vector = schema.apply(FeatureStoreSchema.FEATURES);
    InvalidInputException.check(
        vector.dataType() instanceof ArrayType array
            && array.elementType().equals(DataTypes.FloatType),
        "Cannot read feature store %s: column 'features' is %s, expected array<float>.",
        location,
        vector.dataType().simpleString());
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
