package dev.tltf.train.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/audit's entry point: bad input ends in one sentence and exit 2; the Spark search equals the
 * driver's.
 */
class AuditInputTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  private record Run(int status, String err) {}

  private Run audit(String store, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("--features", store, "--out", dir.resolve("audit").toString()));
    args.addAll(List.of(extra));
    StringWriter err = new StringWriter();
    int status =
        JobMain.run(
            new AuditCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            args.toArray(String[]::new));
    return new Run(status, err.toString());
  }

  private String store(List<StoreFixtures.Vector> vectors) throws Exception {
    String store = dir.resolve("store").toString();
    StoreFixtures.write(SPARK, store, StoreFixtures.fingerprint("random:1", 16), vectors);
    return store;
  }

  private static void assertBadInput(Run run, String... fragments) {
    assertEquals(JobMain.EXIT_BAD_INPUT, run.status(), run.err());
    assertEquals(1, run.err().strip().lines().count(), "one sentence: " + run.err());
    for (String fragment : fragments) {
      assertTrue(run.err().contains(fragment), run.err());
    }
  }

  @Test
  void aStoreWithoutLabelsIsBadInput() throws Exception {
    List<StoreFixtures.Vector> unlabelled =
        StoreFixtures.blobs(List.of("a"), 30, 16, 0.5, 1).stream()
            .map(v -> new StoreFixtures.Vector(v.path().replace("a/", ""), v.imageId(), v.values()))
            .toList();
    assertBadInput(audit(store(unlabelled)), "none of its 30 images has a label from folder names");
    assertFalse(Files.exists(dir.resolve("audit")));
  }

  @Test
  void oneClassIsBadInput() throws Exception {
    assertBadInput(
        audit(store(StoreFixtures.blobs(List.of("cats"), 30, 16, 0.5, 1))),
        "name one class ([cats])");
  }

  @Test
  void fewerThanKExamplesInAClassIsBadInput() throws Exception {
    List<StoreFixtures.Vector> vectors =
        new ArrayList<>(StoreFixtures.blobs(List.of("a", "b"), 40, 16, 0.5, 1));
    vectors.addAll(StoreFixtures.blobs(List.of("rare"), 2, 16, 0.5, 2));
    assertBadInput(
        audit(store(vectors), "--folds", "5"), "class 'rare' has", "fewer than --folds 5");
  }

  @Test
  void aLabelsFileNamingNoStoredImageIsBadInput() throws Exception {
    String store = store(StoreFixtures.blobs(List.of("a", "b"), 20, 16, 0.5, 1));
    Path labels = dir.resolve("labels.csv");
    Files.writeString(labels, "path,label\nnot/in/the/store.png,cats\n");
    assertBadInput(
        audit(store, "--labels", labels.toString()),
        "none of its 40 images has a label",
        "--labels FILE.csv");
  }

  @Test
  void badInputLeavesAPreviousAuditAsItWas() throws Exception {
    Path previous = dir.resolve("audit");
    Files.createDirectories(previous);
    Files.writeString(previous.resolve("audit.json"), "{\"previous\": true}");
    assertBadInput(
        audit(store(StoreFixtures.blobs(List.of("cats"), 30, 16, 0.5, 1)), "--overwrite"),
        "name one class ([cats])");
    assertEquals("{\"previous\": true}", Files.readString(previous.resolve("audit.json")));
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of("audit", "store"),
          files.map(f -> f.getFileName().toString()).sorted().toList(),
          "no half-written audit beside it");
    }
  }

  @Test
  void badFlagValuesAreBadInput() throws Exception {
    String store = store(StoreFixtures.blobs(List.of("a", "b"), 20, 16, 0.5, 1));
    assertBadInput(audit(store, "--folds", "1"), "Invalid --folds: 1 (must be between 2 and 100).");
    assertBadInput(
        audit(store, "--near-duplicate-ratio", "2"), "Invalid --near-duplicate-ratio: 2.0");
  }

  @Test
  void theSparkSearchFindsTheSameNeighboursAsTheDriver() throws Exception {
    List<StoreFixtures.Vector> vectors =
        StoreFixtures.blobs(List.of("a", "b", "c"), 150, 16, 0.8, 5);
    String store = store(vectors);
    FeatureStore features = FeatureStore.open(SPARK, store);
    try (var snapshot =
            dev.tltf.train.snapshot.StoreSnapshot.read(
                features, new dev.tltf.common.split.Split(80, 10));
        AuditSet set =
            AuditSet.of(
                snapshot,
                dev.tltf.train.labels.Labeling.apply(
                    snapshot,
                    new dev.tltf.train.labels.FolderLabelSource(),
                    new dev.tltf.train.labels.LabelPolicy(
                        dev.tltf.train.labels.LabelPolicy.Action.DROP,
                        dev.tltf.train.labels.LabelPolicy.Action.DROP,
                        dev.tltf.train.labels.LabelPolicy.Action.DROP,
                        dev.tltf.train.labels.LabelPolicy.Action.DROP,
                        1)))) {
      float[] mean = UnitVectors.mean(set.vectors(), 64);
      int[] labels = set.imageLabels();
      NeighbourTable onSpark =
          new SparkNeighbourSearch(SPARK, features, 64).run(set, mean, labels, 5);
      try (var unit = UnitVectors.centredUnit(set.vectors(), mean, 64)) {
        NeighbourTable onDriver = NeighbourSearch.onDriver(unit, labels, 5, 64);
        NeighbourTable brute =
            NeighbourSearch.onDriver(unit, labels, 5, 1000); // one block: no block logic at all
        for (int image = 0; image < set.images(); image++) {
          assertArrayEquals(
              ids(brute.neighbours(image)),
              ids(onDriver.neighbours(image)),
              "driver, image " + image);
          assertArrayEquals(
              ids(brute.neighbours(image)),
              ids(onSpark.neighbours(image)),
              "Spark, image " + image);
          assertEquals(
              brute.sameClassNearest(image).image(), onSpark.sameClassNearest(image).image());
        }
      }
    }
  }

  @Test
  void theBlockwiseSearchIsExact() {
    Random random = new Random(3);
    int n = 300;
    int d = 8;
    float[][] v = new float[n][d];
    try (var spill = dev.tltf.train.snapshot.VectorSpill.create(d)) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          v[i][j] = (float) random.nextGaussian();
        }
        spill.append(v[i], "p" + i, "id" + i);
      }
      spill.flush();
      int[] labels = new int[n];
      NeighbourTable table = NeighbourSearch.onDriver(spill, labels, 3, 37);
      for (int i = 0; i < n; i++) {
        double[] dots = new double[n];
        for (int j = 0; j < n; j++) {
          for (int k = 0; k < d; k++) {
            dots[j] += v[i][k] * v[j][k];
          }
        }
        dots[i] = Double.NEGATIVE_INFINITY;
        int best = 0;
        for (int j = 1; j < n; j++) {
          best = dots[j] > dots[best] ? j : best;
        }
        assertEquals(best, table.neighbours(i)[0].image(), "image " + i);
        assertEquals(dots[best], table.neighbours(i)[0].similarity(), 1e-4);
      }
    }
  }

  private static int[] ids(NeighbourTable.Neighbour[] neighbours) {
    return java.util.Arrays.stream(neighbours).mapToInt(NeighbourTable.Neighbour::image).toArray();
  }
}
