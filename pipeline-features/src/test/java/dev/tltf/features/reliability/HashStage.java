package dev.tltf.features.reliability;

import dev.tltf.common.io.SerializableHadoopConf;
import dev.tltf.features.listing.ListedFile;
import org.apache.spark.sql.Row;

/**
 * Runs the feature job's hashing stage on one file, outside Spark, to reach moments a whole job
 * cannot.
 */
final class HashStage {
  private HashStage() {}

  static Row hash(SerializableHadoopConf conf, ListedFile file) throws Exception {
    return dev.tltf.features.listing.StageAccess.hash(conf, file);
  }
}
