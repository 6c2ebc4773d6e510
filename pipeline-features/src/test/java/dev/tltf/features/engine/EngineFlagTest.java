package dev.tltf.features.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.extract.ExtractFeaturesCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine} through the feature job: both engines give the same vectors (to 1e-4 of their
 * scale) under the same backbone fingerprint, and a wrong value is refused naming the flag.
 */
class EngineFlagTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  @Test
  void bothEnginesWriteTheSameVectorsUnderTheSameFingerprint() throws Exception {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 2, 3, 40, 90);
    Map<String, float[]> dl4j = extract(images, "dl4j");
    Map<String, float[]> onednn = extract(images, "onednn");
    assertTrue(dl4j.size() >= 6, "vectors stored: " + dl4j.size());
    assertEquals(dl4j.keySet(), onednn.keySet());
    for (String path : dl4j.keySet()) {
      float[][] actual = {onednn.get(path)};
      float[][] expected = {dl4j.get(path)};
      double error = EngineComparison.relativeError(actual, expected);
      assertTrue(error <= 1e-4, path + ": " + error);
    }
    assertEquals(
        FeatureStore.open(SPARK, dir.resolve("store-dl4j").toString()).fingerprint(),
        FeatureStore.open(SPARK, dir.resolve("store-onednn").toString()).fingerprint());
  }

  @Test
  void anUnknownEngineIsRefusedNamingTheFlag() {
    StringWriter err = new StringWriter();
    int status =
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            "--images",
            dir.toString(),
            "--out",
            dir.resolve("store").toString(),
            "--random-weights",
            "3",
            "--engine",
            "tensorrt");
    assertEquals(2, status, err.toString());
    assertTrue(
        err.toString().contains("--engine") && err.toString().contains("tensorrt"), err.toString());
  }

  private Map<String, float[]> extract(Path images, String engine) {
    String store = dir.resolve("store-" + engine).toString();
    StringWriter err = new StringWriter();
    int status =
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            "--images",
            images.toString(),
            "--out",
            store,
            "--random-weights",
            "3",
            "--image-size",
            "75",
            "--batch-size",
            "4",
            "--engine",
            engine);
    assertEquals(0, status, err.toString());
    Map<String, float[]> vectors = new HashMap<>();
    for (Row row :
        FeatureStore.open(SPARK, store).features().select("path", "features").collectAsList()) {
      List<Float> values = row.getList(1);
      float[] vector = new float[values.size()];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = values.get(i);
      }
      vectors.put(row.getString(0), vector);
    }
    return vectors;
  }
}
