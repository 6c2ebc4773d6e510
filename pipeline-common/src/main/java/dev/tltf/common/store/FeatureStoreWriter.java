package dev.tltf.common.store;

import dev.tltf.common.cli.InvalidInputException;
import dev.tltf.common.io.HadoopPaths;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Adds runs to a feature store under its commit rule. A run writes its two tables under
 * {@code _tltf/staging/<run>/}, invisible to every reader; {@link #commit} then renames the errors table and then the
 * features table into their {@code run=<run>} partitions and finally writes the marker {@code _tltf/runs/<run>.json}.
 * Renames are atomic on HDFS and local disks, so readers see a run entirely or not at all. (On S3 a rename is a copy:
 * there, readers that go through {@link FeatureStore} are still safe because they take only runs with a marker.)
 */
public final class FeatureStoreWriter {
  private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final String location;
  private final StoreLayout layout;
  private final Configuration conf;
  private final BackboneFingerprint fingerprint;

  private FeatureStoreWriter(String location, StoreLayout layout, Configuration conf, BackboneFingerprint fingerprint) {
    this.location = location;
    this.layout = layout;
    this.conf = conf;
    this.fingerprint = fingerprint;
  }

  /**
   * Opens the store at {@code location} for a run with {@code fingerprint}, creating it when the location is absent
   * or an empty directory. A store of another backbone, or a non-empty directory that is not a store, is refused.
   */
  public static FeatureStoreWriter openOrCreate(String location, BackboneFingerprint fingerprint, Configuration conf) {
    try {
      StoreLayout layout = new StoreLayout(HadoopPaths.qualify(location, conf));
      FileSystem fs = layout.root().getFileSystem(conf);
      if (fs.exists(layout.manifest())) {
        StoreManifest manifest = FeatureStore.readManifest(layout, conf, location);
        if (!manifest.fingerprint().equals(fingerprint)) {
          throw new InvalidInputException(String.format(
              "Cannot add to feature store %s: it holds features of [%s], this run would compute [%s]; "
                  + "write to another --out.", location, manifest.fingerprint().describe(), fingerprint.describe()));
        }
      } else {
        if (fs.exists(layout.root())) {
          FileStatus status = fs.getFileStatus(layout.root());
          InvalidInputException.check(status.isDirectory() && fs.listStatus(layout.root()).length == 0,
              "Cannot write feature store to %s: it exists and is not a tltf feature store.", location);
        }
        StoreManifest manifest = new StoreManifest(StoreManifest.FORMAT, StoreManifest.FORMAT_VERSION, fingerprint,
            Instant.now().toString());
        fs.mkdirs(layout.manifest().getParent());
        HadoopPaths.writeUtf8Atomically(layout.manifest(), manifest.toJson(), false, conf);
      }
      return new FeatureStoreWriter(location, layout, conf, fingerprint);
    } catch (IOException e) {
      throw new InvalidInputException("Cannot write feature store " + location + ": " + e.getMessage(), e);
    }
  }

  public StoreLayout layout() {
    return layout;
  }

  public BackboneFingerprint fingerprint() {
    return fingerprint;
  }

  /** A new, sortable run id: UTC time plus 8 random hex digits. */
  public static String newRunId() {
    return RUN_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public Path stagingFeatures(String runId) {
    return new Path(layout.stagingDir(runId), "features");
  }

  public Path stagingErrors(String runId) {
    return new Path(layout.stagingDir(runId), "errors");
  }

  /** Makes the staged run visible: errors, then features, then the marker; then removes the staging directory. */
  public void commit(RunSummary summary) throws IOException {
    String runId = summary.runId();
    FileSystem fs = layout.root().getFileSystem(conf);
    fs.mkdirs(layout.errorsTable());
    fs.mkdirs(layout.featuresTable());
    fs.mkdirs(layout.runsDir());
    rename(fs, stagingErrors(runId), layout.errorsPartition(runId));
    rename(fs, stagingFeatures(runId), layout.featuresPartition(runId));
    HadoopPaths.writeUtf8Atomically(layout.runMarker(runId), summary.toJson(), false, conf);
    fs.delete(layout.stagingDir(runId), true);
  }

  /** Removes what a failed run staged; committed data are never touched. */
  public void abort(String runId) {
    try {
      layout.root().getFileSystem(conf).delete(layout.stagingDir(runId), true);
    } catch (IOException e) {
      // Staging is invisible to readers and is cleaned by the next run; nothing to lose here.
    }
  }

  private void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("Cannot commit run to feature store " + location + ": rename " + from + " -> " + to
          + " failed");
    }
  }
}
