package dev.tltf.common.store;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.error.RetryableException;
import dev.tltf.common.io.HadoopPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds runs to a feature store under its commit rule.
 *
 * <p><b>Commit rule.</b> A run writes both tables under {@code _tltf/staging/<run>/}, invisible to
 * every reader. {@link #commit} then renames the errors table, then the features table, into their
 * {@code run=<run>} partitions, and writes the marker {@code _tltf/runs/<run>.json} last. A run is
 * committed once its features partition is in place: renames are atomic on HDFS and local disks, so
 * plain Parquet readers see a run entirely or not at all, and {@link FeatureStore} takes only runs
 * with a marker. A run that adds no row (an unchanged re-run) renames nothing and writes its marker
 * alone: plain readers see no change at all.
 *
 * <p><b>Recovery.</b> A writer killed at any moment leaves one of: staging only (deleted by the
 * next writer); the errors partition without the features partition (rolled back: deleted); both
 * partitions without the marker (rolled forward: the marker is written, counting rows from the
 * Parquet footers). A compaction without its marker is rolled back; one with its marker finishes
 * deleting the runs it supersedes. The next writer does this before its own work, so a re-run after
 * any crash ends with exactly one row per input.
 *
 * <p><b>One writer at a time.</b> A writer holds the store's {@link StoreLease} from before
 * recovery until {@link #close}, after its marker (and any compaction): recovery never mistakes a
 * live writer's staging for debris, and each commit step first checks that the lease is still held.
 *
 * <p>On S3 a rename is a copy, not atomic: readers that go through {@link FeatureStore} are still
 * safe (markers), plain readers may briefly see a partial partition.
 */
public final class FeatureStoreWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureStoreWriter.class);
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
  static final String COMPACTION = "compact";

  /** The steps of a commit, for fault-injection tests. */
  enum Step {
    ERRORS_RENAMED,
    FEATURES_RENAMED,
    MARKER_WRITTEN
  }

  /** Called after each commit step; tests throw from it to simulate a writer killed there. */
  interface StepListener {
    void after(Step step) throws IOException;
  }

  private final String location;
  private final StoreLayout layout;
  private final Configuration conf;
  private final BackboneFingerprint fingerprint;
  private final StoreLease lease;
  private StepListener listener = step -> {};

  private FeatureStoreWriter(
      String location,
      StoreLayout layout,
      Configuration conf,
      BackboneFingerprint fingerprint,
      StoreLease lease) {
    this.location = location;
    this.layout = layout;
    this.conf = conf;
    this.fingerprint = fingerprint;
    this.lease = lease;
  }

  /**
   * Opens the store at {@code location} for a run with {@code fingerprint}, creating it when the
   * location is absent or an empty directory, and recovers what a killed writer left. A store of
   * another backbone, or a non-empty directory that is not a store, is refused.
   */
  public static FeatureStoreWriter openOrCreate(
      String location, BackboneFingerprint fingerprint, Configuration conf) {
    return openOrCreate(
        location, fingerprint, conf, StoreLease.Settings.defaults(), newRunId(), "writer");
  }

  /**
   * As {@link #openOrCreate(String, BackboneFingerprint, Configuration)}, holding the store's lease
   * for {@code runId} from before recovery until {@link #close}: a second writer waits or fails
   * (see {@link StoreLease}).
   */
  public static FeatureStoreWriter openOrCreate(
      String location,
      BackboneFingerprint fingerprint,
      Configuration conf,
      StoreLease.Settings leaseSettings,
      String runId,
      String command) {
    StoreLease lease = null;
    try {
      StoreLayout layout = new StoreLayout(HadoopPaths.qualify(location, conf));
      FileSystem fs = layout.root().getFileSystem(conf);
      checkCanWrite(
          location, layout, fs, fingerprint, conf); // bad input first, before anything is written
      lease = StoreLease.acquire(location, layout.root(), runId, command, leaseSettings, conf);
      if (fs.exists(layout.manifest())) {
        checkCanWrite(
            location,
            layout,
            fs,
            fingerprint,
            conf); // another writer may have created it meanwhile
      } else {
        StoreManifest manifest =
            new StoreManifest(
                StoreManifest.FORMAT,
                StoreManifest.FORMAT_VERSION,
                fingerprint,
                Instant.now().toString());
        HadoopPaths.writeUtf8Atomically(layout.manifest(), manifest.toJson(), false, conf);
      }
      FeatureStoreWriter writer =
          new FeatureStoreWriter(location, layout, conf, fingerprint, lease);
      writer.recover();
      return writer;
    } catch (IOException e) {
      closeQuietly(lease);
      throw RetryableException.fromIo("Cannot write feature store " + location, e);
    } catch (RuntimeException e) {
      closeQuietly(lease);
      throw e;
    }
  }

  private static void checkCanWrite(
      String location,
      StoreLayout layout,
      FileSystem fs,
      BackboneFingerprint fingerprint,
      Configuration conf)
      throws IOException {
    if (fs.exists(layout.manifest())) {
      StoreManifest manifest = FeatureStore.readManifest(layout, conf, location);
      if (!manifest.fingerprint().equals(fingerprint)) {
        throw new InvalidInputException(
            String.format(
                "Cannot add to feature store %s: it holds features of [%s], this run would compute [%s]; "
                    + "write to another --out.",
                location, manifest.fingerprint().describe(), fingerprint.describe()));
      }
    } else if (fs.exists(layout.root())) {
      FileStatus status = fs.getFileStatus(layout.root());
      // empty, or holding only the _tltf/ of a store another writer is creating
      InvalidInputException.check(
          status.isDirectory()
              && Arrays.stream(fs.listStatus(layout.root()))
                  .allMatch(child -> child.getPath().getName().equals("_tltf")),
          "Cannot write feature store to %s: it exists and is not a tltf feature store.",
          location);
    }
  }

  private static void closeQuietly(StoreLease lease) {
    if (lease != null) {
      lease.close();
    }
  }

  /** Releases the store's lease: the next writer may start. */
  @Override
  public void close() {
    lease.close();
  }

  public StoreLayout layout() {
    return layout;
  }

  public BackboneFingerprint fingerprint() {
    return fingerprint;
  }

  /** A new run id that sorts by start time (UTC, milliseconds) and is unique (random suffix). */
  public static String newRunId() {
    return RUN_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A run id for a compaction; never rolled forward without its marker. */
  public static String newCompactionId() {
    return RUN_TIME.format(Instant.now())
        + "-"
        + COMPACTION
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  public Path stagingFeatures(String runId) {
    return new Path(layout.stagingDir(runId), "features");
  }

  public Path stagingErrors(String runId) {
    return new Path(layout.stagingDir(runId), "errors");
  }

  void onStep(StepListener listener) {
    this.listener = listener;
  }

  /**
   * Makes the staged run visible: errors, then features, then the marker; then removes the staging
   * directory and, for a compaction, the runs it supersedes.
   */
  public void commit(RunSummary summary) throws IOException {
    String runId = summary.runId();
    FileSystem fs = layout.root().getFileSystem(conf);
    if (summary.featureRows() + summary.errorRows() == 0 && summary.supersedes().isEmpty()) {
      // Nothing new: the run leaves its marker (what it did) and no partition, so plain readers see
      // no change.
      fs.mkdirs(layout.runsDir());
      lease.check();
      HadoopPaths.writeUtf8Atomically(layout.runMarker(runId), summary.toJson(), false, conf);
      fs.delete(layout.stagingDir(runId), true);
      return;
    }
    fs.mkdirs(layout.errorsTable());
    fs.mkdirs(layout.featuresTable());
    fs.mkdirs(layout.runsDir());
    lease.check();
    rename(fs, stagingErrors(runId), layout.errorsPartition(runId));
    listener.after(Step.ERRORS_RENAMED);
    lease.check();
    rename(fs, stagingFeatures(runId), layout.featuresPartition(runId));
    listener.after(Step.FEATURES_RENAMED);
    HadoopPaths.writeUtf8Atomically(layout.runMarker(runId), summary.toJson(), false, conf);
    listener.after(Step.MARKER_WRITTEN);
    fs.delete(layout.stagingDir(runId), true);
    deleteSuperseded(fs, summary.supersedes());
  }

  /** Removes what a failed run staged; committed data are never touched. */
  public void abort(String runId) {
    try {
      layout.root().getFileSystem(conf).delete(layout.stagingDir(runId), true);
    } catch (IOException e) {
      LOG.warn(
          "Could not remove {} ({}); the next run removes it",
          layout.stagingDir(runId),
          e.getMessage());
    }
  }

  /** Applies the recovery rules of the class comment. */
  void recover() throws IOException {
    FileSystem fs = layout.root().getFileSystem(conf);
    lease.check();
    Set<String> committed = new HashSet<>(FeatureStore.listCommittedRuns(fs, layout));
    for (String runId : committed) {
      deleteSuperseded(fs, FeatureStore.readSummary(fs, layout, runId).supersedes());
    }
    for (String runId : partitions(fs, layout.featuresTable())) {
      if (committed.contains(runId)) {
        continue;
      }
      if (runId.contains("-" + COMPACTION + "-")) {
        LOG.warn("Rolling back compaction {} that was killed before its commit", runId);
        fs.delete(layout.featuresPartition(runId), true);
        fs.delete(layout.errorsPartition(runId), true);
      } else {
        LOG.warn(
            "Completing the commit of run {}, whose writer was killed after its data were in place",
            runId);
        long features = ParquetCounts.rows(fs, layout.featuresPartition(runId));
        long errors = ParquetCounts.rows(fs, layout.errorsPartition(runId));
        String now = Instant.now().toString();
        RunSummary recovered =
            new RunSummary(
                runId, "(recovered)", now, now, features + errors, 0, 0, features, errors, 0, 0);
        HadoopPaths.writeUtf8Atomically(layout.runMarker(runId), recovered.toJson(), true, conf);
        committed.add(runId);
      }
    }
    for (String runId : partitions(fs, layout.errorsTable())) {
      if (!committed.contains(runId)) {
        LOG.warn("Rolling back run {}, whose writer was killed during its commit", runId);
        fs.delete(layout.errorsPartition(runId), true);
      }
    }
    fs.delete(new Path(layout.root(), "_tltf/staging"), true);
  }

  private void deleteSuperseded(FileSystem fs, List<String> superseded) throws IOException {
    for (String old : superseded) {
      fs.delete(layout.featuresPartition(old), true);
      fs.delete(layout.errorsPartition(old), true);
      fs.delete(layout.runMarker(old), false);
    }
  }

  private static List<String> partitions(FileSystem fs, Path table) throws IOException {
    String prefix = FeatureStoreSchema.RUN + "=";
    try {
      return java.util.Arrays.stream(fs.listStatus(table))
          .filter(FileStatus::isDirectory)
          .map(status -> status.getPath().getName())
          .filter(name -> name.startsWith(prefix))
          .map(name -> name.substring(prefix.length()))
          .toList();
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }

  private void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException(
          "Cannot commit run to feature store "
              + location
              + ": rename "
              + from
              + " -> "
              + to
              + " failed");
    }
  }
}
