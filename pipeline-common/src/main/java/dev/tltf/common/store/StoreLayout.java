package dev.tltf.common.store;

import org.apache.hadoop.fs.Path;

/**
 * Where everything of a feature store lives. Data are plain Parquet under {@code features/} and
 * {@code errors/}, one {@code run=<id>} partition per committed run, so Spark SQL, pyarrow or
 * DuckDB read them without our code. Our own bookkeeping sits under {@code _tltf/}, which Hadoop
 * and Spark readers skip because of the underscore:
 *
 * <pre>
 *   _tltf/store.json           format version + backbone fingerprint, written when the store is created
 *   _tltf/runs/&lt;run&gt;.json      a run's commit marker and statistics, written last
 *   _tltf/staging/&lt;run&gt;/       where a run writes before it is committed
 *   features/run=&lt;run&gt;/*.parquet
 *   errors/run=&lt;run&gt;/*.parquet
 * </pre>
 */
public record StoreLayout(Path root) {
  public Path manifest() {
    return new Path(root, "_tltf/store.json");
  }

  public Path runsDir() {
    return new Path(root, "_tltf/runs");
  }

  public Path runMarker(String runId) {
    return new Path(runsDir(), runId + ".json");
  }

  public Path stagingDir(String runId) {
    return new Path(root, "_tltf/staging/" + runId);
  }

  public Path featuresTable() {
    return new Path(root, "features");
  }

  public Path errorsTable() {
    return new Path(root, "errors");
  }

  public Path featuresPartition(String runId) {
    return new Path(featuresTable(), FeatureStoreSchema.RUN + "=" + runId);
  }

  public Path errorsPartition(String runId) {
    return new Path(errorsTable(), FeatureStoreSchema.RUN + "=" + runId);
  }
}
