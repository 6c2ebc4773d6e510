package dev.tltf.features.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.backbone.OfficialLayoutWeights;
import dev.tltf.features.demo.SyntheticImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images, weights and the store on a real HDFS (MiniDFSCluster): nothing assumes a local disk. */
class HdfsStoreTest {
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
    FileSystem fs = cluster.getFileSystem();
    SyntheticImages.write(dir.resolve("images"), 2, 41, 40, 70);
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(dir.resolve("images").toUri()),
        new org.apache.hadoop.fs.Path(hdfs + "/data/images"));
    OfficialLayoutWeights.write(dir.resolve("w.h5"), 3);
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(dir.resolve("w.h5").toUri()),
        new org.apache.hadoop.fs.Path(hdfs + "/models/w.h5"));
  }

  @AfterAll
  static void stopHdfs() {
    cluster.shutdown();
  }

  @Test
  void extractsFromAndIntoHdfsAndRerunsIncrementally() {
    String store = hdfs + "/data/store";
    String[] args = {
      "--images",
      hdfs + "/data/images",
      "--out",
      store,
      "--weights",
      hdfs + "/models/w.h5",
      "--image-size",
      "75",
      "--progress-seconds",
      "0"
    };
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            args),
        err.toString());
    FeatureStore opened = FeatureStore.open(SPARK, store);
    assertEquals(8, opened.features().count());
    assertEquals(8, SPARK.read().parquet(store + "/features").count());
    assertEquals("sha256:", opened.fingerprint().weights().substring(0, 7));

    assertEquals(
        0,
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            args),
        err.toString());
    List<RunSummary> runs = FeatureStore.open(SPARK, store).runSummaries();
    assertEquals(0, runs.get(runs.size() - 1).computed());
    assertEquals(8, runs.get(runs.size() - 1).alreadyStored());
    assertEquals(8, runs.get(0).costs().filesOpened());
    assertEquals(
        0,
        runs.get(runs.size() - 1).costs().filesOpened(),
        "sizes and modification times are unchanged");
  }

  @Test
  void aFileRewrittenOnHdfsIsTheOnlyOneOpened() throws Exception {
    String store = hdfs + "/data/store-rewritten";
    String[] args = {
      "--images",
      hdfs + "/data/images",
      "--out",
      store,
      "--weights",
      hdfs + "/models/w.h5",
      "--image-size",
      "75",
      "--progress-seconds",
      "0"
    };
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            args),
        err.toString());
    FileSystem fs = cluster.getFileSystem();
    org.apache.hadoop.fs.Path rewritten =
        new org.apache.hadoop.fs.Path(hdfs + "/data/images/circles/circles_000.jpg");
    long before = fs.getFileStatus(rewritten).getModificationTime();
    fs.copyFromLocalFile(
        false,
        true,
        new org.apache.hadoop.fs.Path(dir.resolve("images/squares/squares_001.png").toUri()),
        rewritten);
    assertTrue(fs.getFileStatus(rewritten).getModificationTime() > before);

    assertEquals(
        0,
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            args),
        err.toString());
    List<RunSummary> runs = FeatureStore.open(SPARK, store).runSummaries();
    RunSummary last = runs.get(runs.size() - 1);
    assertEquals(1, last.costs().filesOpened());
    assertEquals(fs.getFileStatus(rewritten).getLen(), last.costs().bytesRead());
    assertEquals(1, last.featureRows(), "its new bytes are a stored image's: the vector is reused");
  }
}
