package dev.tltf.features.vectors;

import dev.tltf.common.store.FeatureStoreSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schemas of the intermediate tables of a feature run. */
final class Stages {
  static final String URI = "uri";

  static final String PROBLEM = "problem";
  static final String STORED_ID = "stored_id";

  /**
   * The listing: every file with its size and modification time, or the problem that makes it an
   * error row.
   */
  static final StructType LISTED =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(FeatureStoreSchema.PATH, DataTypes.StringType, false),
            DataTypes.createStructField(URI, DataTypes.StringType, false),
            DataTypes.createStructField(FeatureStoreSchema.FILE_SIZE, DataTypes.LongType, true),
            DataTypes.createStructField(FeatureStoreSchema.MODIFIED_MS, DataTypes.LongType, true),
            DataTypes.createStructField(PROBLEM, DataTypes.StringType, true),
          });

  /**
   * After hashing: every listed file, with its image_id or, if it could not be read, an error; and
   * its size and modification time as listed (null for a file that was not listed as one).
   */
  static final StructType HASHED =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(FeatureStoreSchema.PATH, DataTypes.StringType, false),
            DataTypes.createStructField(URI, DataTypes.StringType, false),
            DataTypes.createStructField(FeatureStoreSchema.IMAGE_ID, DataTypes.StringType, true),
            DataTypes.createStructField(FeatureStoreSchema.REASON, DataTypes.StringType, true),
            DataTypes.createStructField(FeatureStoreSchema.ERROR_CLASS, DataTypes.StringType, true),
            DataTypes.createStructField(FeatureStoreSchema.FILE_SIZE, DataTypes.LongType, true),
            DataTypes.createStructField(FeatureStoreSchema.MODIFIED_MS, DataTypes.LongType, true),
          });

  /** After the network: one row per distinct new image, with its vector or an error. */
  static final StructType COMPUTED =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(FeatureStoreSchema.IMAGE_ID, DataTypes.StringType, false),
            DataTypes.createStructField(
                FeatureStoreSchema.FEATURES,
                DataTypes.createArrayType(DataTypes.FloatType, false),
                true),
            DataTypes.createStructField(FeatureStoreSchema.WIDTH, DataTypes.IntegerType, true),
            DataTypes.createStructField(FeatureStoreSchema.HEIGHT, DataTypes.IntegerType, true),
            DataTypes.createStructField(FeatureStoreSchema.REASON, DataTypes.StringType, true),
            DataTypes.createStructField(FeatureStoreSchema.ERROR_CLASS, DataTypes.StringType, true),
          });

  private Stages() {}
}
