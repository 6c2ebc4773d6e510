package dev.tltf.features.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreWriter;
import dev.tltf.common.store.StoreLease;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.image.ResizeMethod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a real HDFS whose name node goes away: that is a retry (exit 1), never bad input (exit
 * 2), the rerun finishes the work; and a second writer on HDFS is refused while the first holds the
 * store.
 */
class HdfsFaultsTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir static Path dir;
  static MiniDFSCluster cluster;
  static String hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = "hdfs://localhost:" + cluster.getNameNodePort();
    // A client that gives up at once on a dead name node, as a scheduler's retry would take over.
    SPARK.sparkContext().hadoopConfiguration().set("ipc.client.connect.max.retries", "0");
    SPARK
        .sparkContext()
        .hadoopConfiguration()
        .set("ipc.client.connect.max.retries.on.timeouts", "0");
    SyntheticImages.write(dir.resolve("images"), 2, 43, 40, 70);
  }

  @AfterAll
  static void stopHdfs() {
    cluster.shutdown();
  }

  private record Result(int status, String err) {}

  private static Result extract(String store, String... extra) {
    StringWriter err = new StringWriter();
    String[] args =
        Stream.concat(
                Stream.of(
                    "--images",
                    dir.resolve("images").toString(),
                    "--out",
                    store,
                    "--random-weights",
                    "3",
                    "--image-size",
                    "75",
                    "--progress-seconds",
                    "0",
                    "--batch-size",
                    "2",
                    "--partitions",
                    "4"),
                Stream.of(extra))
            .toArray(String[]::new);
    int status =
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            args);
    return new Result(status, err.toString());
  }

  private static boolean writing(FileSystem fs, String store) {
    try {
      org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(store + "/_tltf/staging");
      return fs.exists(staging) && fs.listStatus(staging).length > 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void aNameNodeStoppedBeforeOrDuringARunIsARetryAndTheRerunFinishesTheWork() throws Exception {
    String store = hdfs + "/faults/store";
    cluster.shutdownNameNode(0);
    Result down = extract(store);
    assertEquals(JobMain.EXIT_FAILED, down.status(), down.err());
    assertTrue(down.err().startsWith("extract-features: Cannot "), down.err());
    assertTrue(down.err().strip().endsWith("A retry may succeed."), down.err());
    cluster.restartNameNode(true);

    // Stopped while the run writes its staging: the run fails with exit 1 and whatever it left is
    // repaired.
    FileSystem watcher = FileSystem.newInstance(java.net.URI.create(hdfs), new Configuration());
    CompletableFuture<Void> stopper =
        CompletableFuture.runAsync(
            () -> {
              long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
              while (!writing(watcher, store) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
              }
              cluster.shutdownNameNode(0);
            });
    Result midRun = extract(store, "--lease-timeout-seconds", "2");
    stopper.get(5, TimeUnit.MINUTES);
    assertEquals(JobMain.EXIT_FAILED, midRun.status(), midRun.err());
    assertTrue(midRun.err().strip().endsWith("A retry may succeed."), midRun.err());
    assertTrue(!midRun.err().contains("internal error"), midRun.err());
    cluster.restartNameNode(true);

    // The failed writer could not release its lease: the rerun waits for it to go stale, breaks it,
    // recovers.
    Result rerun = extract(store, "--lease-timeout-seconds", "2", "--wait-for-lock", "60");
    assertEquals(0, rerun.status(), rerun.err());
    assertEquals(8, FeatureStore.open(SPARK, store).features().count());
    assertEquals(
        8, SPARK.read().parquet(store + "/features").count(), "each input once for plain readers");
    assertEquals(8, SPARK.read().parquet(store + "/features").select("path").distinct().count());
  }

  @Test
  void aSecondWriterOnHdfsIsRefusedNamingTheFirstAndOneThatWaitsSucceeds() throws Exception {
    String store = hdfs + "/busy/store";
    FeatureStoreWriter first =
        FeatureStoreWriter.openOrCreate(
            store,
            new BackboneSpec(new WeightsSource.Random(3), 75, ResizeMethod.BILINEAR).fingerprint(),
            SPARK.sparkContext().hadoopConfiguration(),
            new StoreLease.Settings(Duration.ZERO, Duration.ofMinutes(2)),
            "run-first",
            "test");
    Result refused = extract(store);
    assertEquals(JobMain.EXIT_FAILED, refused.status(), refused.err());
    assertTrue(refused.err().contains("run run-first (test, host "), refused.err());
    assertTrue(refused.err().contains("holds its lease"), refused.err());
    assertEquals(
        0,
        FeatureStore.open(SPARK, store).committedRuns().size(),
        "the refused writer wrote nothing");

    CompletableFuture<Result> waiting =
        CompletableFuture.supplyAsync(() -> extract(store, "--wait-for-lock", "120"));
    first.close();
    Result waited = waiting.get(5, TimeUnit.MINUTES);
    assertEquals(0, waited.status(), waited.err());
    assertEquals(8, SPARK.read().parquet(store + "/features").count());
  }
}
