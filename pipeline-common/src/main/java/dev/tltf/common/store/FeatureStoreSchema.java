package dev.tltf.common.store;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Column names and Spark schemas of the two tables of a feature store: {@code features/} and {@code
 * errors/}.
 */
public final class FeatureStoreSchema {
  public static final String IMAGE_ID = "image_id";
  public static final String PATH = "path";
  public static final String FEATURES = "features";
  public static final String WIDTH = "width";
  public static final String HEIGHT = "height";
  public static final String BACKBONE = "backbone";
  public static final String REASON = "reason";
  public static final String ERROR_CLASS = "error_class";

  /** The partition column of both tables: the run that wrote the row. */
  public static final String RUN = "run";

  /**
   * The file's length and modification time (epoch ms) as listed when the row was written: a later
   * run that lists the same path with the same two values reuses the row's {@code image_id} without
   * reading the file. Null in stores written before these columns existed, and where the listing
   * had none (a file that could not be listed).
   */
  public static final String FILE_SIZE = "file_size";

  public static final String MODIFIED_MS = "modified_ms";

  /**
   * One row per input file that became a vector. {@code backbone} is the fingerprint id, for
   * readers without our code.
   */
  public static final StructType FEATURE_ROWS =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(IMAGE_ID, DataTypes.StringType, false),
            DataTypes.createStructField(PATH, DataTypes.StringType, false),
            DataTypes.createStructField(
                FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField(WIDTH, DataTypes.IntegerType, false),
            DataTypes.createStructField(HEIGHT, DataTypes.IntegerType, false),
            DataTypes.createStructField(BACKBONE, DataTypes.StringType, false),
          });

  /**
   * One row per input file that did not; {@code image_id} is null when the bytes could not be read.
   */
  public static final StructType ERROR_ROWS =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(PATH, DataTypes.StringType, false),
            DataTypes.createStructField(IMAGE_ID, DataTypes.StringType, true),
            DataTypes.createStructField(REASON, DataTypes.StringType, false),
            DataTypes.createStructField(ERROR_CLASS, DataTypes.StringType, false),
          });

  /** The file columns both tables carry (nullable; see {@link #FILE_SIZE}). */
  public static final StructType FILE_COLUMNS =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(FILE_SIZE, DataTypes.LongType, true),
            DataTypes.createStructField(MODIFIED_MS, DataTypes.LongType, true),
          });

  /** {@code rows} followed by the file columns it lacks. */
  public static StructType withFileColumns(StructType rows) {
    StructType result = rows;
    for (StructField field : FILE_COLUMNS.fields()) {
      if (!java.util.Arrays.asList(result.fieldNames()).contains(field.name())) {
        result = result.add(field);
      }
    }
    return result;
  }

  private FeatureStoreSchema() {}
}
