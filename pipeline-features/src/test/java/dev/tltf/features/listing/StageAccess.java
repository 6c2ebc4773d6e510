package dev.tltf.features.listing;

import dev.tltf.common.io.SerializableHadoopConf;
import org.apache.spark.sql.Row;

/** Test access to the package-private stages of the feature job. */
public final class StageAccess {
  private StageAccess() {}

  public static Row hash(SerializableHadoopConf conf, ListedFile file) {
    return new FileHasher(conf, Long.MAX_VALUE).call(file);
  }
}
