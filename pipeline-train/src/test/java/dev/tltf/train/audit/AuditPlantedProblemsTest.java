package dev.tltf.train.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.io.Json;
import dev.tltf.common.split.Split;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.model.HeadConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit on a generated set of 1,405 vectors in 5 classes with planted problems ({@link
 * PlantedSet}): exact duplicates, copies under new bytes, 5 % flipped labels, outliers. Each is
 * found as the issue asks, and the flipped labels rank better than by plain out-of-fold
 * self-confidence from a converged logistic regression (MLlib, same folds).
 */
class AuditPlantedProblemsTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final Split SPLIT = new Split(80, 10);

  @TempDir static Path dir;
  static PlantedSet planted;
  static AuditFindings findings;
  static Path out;

  @BeforeAll
  static void audit() throws Exception {
    planted = new PlantedSet(64, SEPARATION, 0.05, 11);
    String store = dir.resolve("store").toString();
    StoreFixtures.write(SPARK, store, StoreFixtures.fingerprint("random:1", 64), planted.vectors);
    out = dir.resolve("audit");
    AuditRequest request =
        new AuditRequest(
            store,
            out.toString(),
            "dirs",
            null,
            SPLIT,
            5,
            10,
            0.25,
            2.0,
            256,
            Long.MAX_VALUE,
            HeadConfig.softmax(100, 0.003, 64, 1e-3, 42, 8),
            50,
            false);
    findings = new Audit(SPARK, request).run();
  }

  static final double SEPARATION =
      Double.parseDouble(System.getProperty("planted.separation", "1.0"));

  private static Set<String> ids(NearDuplicates.Pair pair) {
    return Set.of(
        findings.set().image(pair.a()).imageId(), findings.set().image(pair.b()).imageId());
  }

  @Test
  void everyExactDuplicateIsFoundAndConflictsAreFlagged() {
    Map<String, ExactDuplicates.Group> groups =
        findings.exact().stream().collect(Collectors.toMap(ExactDuplicates.Group::imageId, g -> g));
    assertEquals(planted.exactIds, groups.keySet());
    long conflicts = groups.values().stream().filter(ExactDuplicates.Group::conflict).count();
    // 10 were stored again in another class's folder; a flipped original cannot be among them
    // (never reused).
    assertEquals(10, conflicts);
  }

  @Test
  void everyCopyIsANearDuplicateWithFewFalsePairs() {
    Set<Set<String>> found =
        findings.near().pairs().stream()
            .map(AuditPlantedProblemsTest::ids)
            .collect(Collectors.toSet());
    Set<Set<String>> expected =
        planted.copies.stream().map(c -> Set.of(c[0], c[1])).collect(Collectors.toSet());
    Set<Set<String>> missed = new HashSet<>(expected);
    missed.removeAll(found);
    assertTrue(missed.isEmpty(), missed.size() + " planted copies missed");
    long falsePairs = found.stream().filter(p -> !expected.contains(p)).count();
    System.out.printf(
        "near-duplicates: %d planted copies, %d pairs reported, %d false; typical distance %.4f, "
            + "threshold %.4f%n",
        expected.size(),
        found.size(),
        falsePairs,
        findings.near().typicalDistance(),
        findings.near().threshold());
    assertTrue(falsePairs <= 0.05 * found.size(), falsePairs + " false pairs of " + found.size());
  }

  @Test
  void everyCopyAcrossSplitsIsALeak() {
    Map<Set<String>, NearDuplicates.Pair> byIds = new HashMap<>();
    findings.near().pairs().forEach(p -> byIds.put(ids(p), p));
    int crossing = 0;
    for (String[] copy : planted.copies) {
      boolean across = SPLIT.partOf(copy[0]) != SPLIT.partOf(copy[1]);
      NearDuplicates.Pair pair = byIds.get(Set.of(copy[0], copy[1]));
      assertEquals(across, pair.leak(), "copy " + copy[1]);
      crossing += across ? 1 : 0;
    }
    assertTrue(crossing >= 5, "the planted set must have copies across splits: " + crossing);
    long leaks =
        findings.near().leaksBySplits(findings.set()).values().stream()
            .mapToLong(Long::longValue)
            .sum();
    assertEquals(findings.near().pairs().stream().filter(NearDuplicates.Pair::leak).count(), leaks);
  }

  @Test
  void plantedOutliersAreReported() {
    List<String> reported =
        findings.outliers().stream().map(o -> findings.set().image(o.image()).imageId()).toList();
    System.out.printf(
        "outliers: %d reported, %d planted; scores %s%n",
        reported.size(),
        planted.outliers.size(),
        findings.outliers().stream()
            .map(o -> String.format(java.util.Locale.ROOT, "%.2f", o.score()))
            .toList());
    assertTrue(reported.size() >= planted.outliers.size(), reported.size() + " outliers");
    assertEquals(
        planted.outliers,
        Set.copyOf(reported.subList(0, planted.outliers.size())),
        "the planted outliers rank first");
    assertTrue(reported.size() <= 2 * planted.outliers.size(), reported.size() + " outliers");
  }

  @Test
  void flippedLabelsRankBetterThanSelfConfidenceOfAConvergedLogisticRegression() {
    int[] examples = findings.examples();
    Set<Integer> wrong = new HashSet<>();
    for (int e = 0; e < examples.length; e++) {
      if (planted.flipped.contains(findings.set().image(examples[e]).imageId())) {
        wrong.add(e);
      }
    }
    assertEquals(
        planted.flipped.size(),
        wrong.size(),
        "every flipped image is an example of the label-error stage");
    int[] given = Arrays.stream(examples).map(i -> findings.set().image(i).label()).toArray();
    RankingMetrics ours =
        RankingMetrics.of(
            ConfidentLearning.fullRanking(findings.confident(), findings.probabilities(), given),
            wrong);
    float[][] lr = logisticRegression(examples, given);
    RankingMetrics baseline = RankingMetrics.of(selfConfidence(lr, given), wrong);
    ConfidentLearning.Result onLr = ConfidentLearning.rank(lr, given, PlantedSet.CLASSES.length);
    RankingMetrics sameRankingOnLr =
        RankingMetrics.of(ConfidentLearning.fullRanking(onLr, lr, given), wrong);
    System.out.printf(
        "label errors (%d flipped of %d): audit (heads + confident learning): %s; converged logistic "
            + "regression, self-confidence: %s; (the audit's ranking on the regression's probabilities: %s); suspects "
            + "reported: %d%n",
        wrong.size(),
        examples.length,
        ours,
        baseline,
        sameRankingOnLr,
        findings.confident().suspects().size());
    assertTrue(ours.precisionAtFlips() >= baseline.precisionAtFlips(), ours + " vs " + baseline);
    assertTrue(ours.auc() >= baseline.auc(), ours + " vs " + baseline);
  }

  static int[] selfConfidence(float[][] p, int[] given) {
    return IntStream.range(0, given.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer e) -> p[e][given[e]]).thenComparingInt(e -> e))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /**
   * Out-of-fold probabilities from MLlib's LogisticRegression run to convergence on the same folds.
   */
  private static float[][] logisticRegression(int[] examples, int[] given) {
    int folds = 5;
    StructType schema =
        new StructType()
            .add("example", DataTypes.IntegerType)
            .add("fold", DataTypes.IntegerType)
            .add("label", DataTypes.DoubleType)
            .add("features", SQLDataTypes.VectorType());
    List<Row> rows = new ArrayList<>();
    try {
      for (int e = 0; e < examples.length; e++) {
        float[] v = new float[findings.set().vectors().dimension()];
        findings.set().vectors().read(new int[] {examples[e]}, 1, v);
        double[] values = IntStream.range(0, v.length).mapToDouble(d -> v[d]).toArray();
        rows.add(
            RowFactory.create(
                e,
                Folds.of(findings.set().image(examples[e]).imageId(), folds),
                (double) given[e],
                Vectors.dense(values)));
      }
    } catch (IllegalStateException closed) {
      throw closed;
    }
    Dataset<Row> data = SPARK.createDataFrame(rows, schema).cache();
    float[][] probabilities = new float[examples.length][];
    for (int f = 0; f < folds; f++) {
      LogisticRegressionModel model =
          new LogisticRegression()
              .setFamily("multinomial")
              .setRegParam(1e-4)
              .setMaxIter(1000)
              .setTol(1e-9)
              .fit(data.filter("fold != " + f));
      for (Row row :
          model
              .transform(data.filter("fold = " + f))
              .select("example", "probability")
              .collectAsList()) {
        int e = row.getInt(0);
        double[] p = ((Vector) row.get(1)).toArray();
        probabilities[e] = new float[p.length];
        for (int c = 0; c < p.length; c++) {
          probabilities[e][c] = (float) p[c];
        }
      }
    }
    return probabilities;
  }

  @Test
  void writesTheAuditDirectory() throws Exception {
    for (String file :
        List.of("audit.html", "duplicates.csv", "suspects.csv", "outliers.csv", "audit.json")) {
      assertTrue(Files.isRegularFile(out.resolve(file)), file);
    }
    JsonNode counts =
        Json.mapper().readTree(Files.readString(out.resolve("audit.json"))).get("counts");
    assertEquals(planted.vectors.size(), counts.get("paths").asInt());
    assertEquals(findings.confident().suspects().size(), counts.get("suspects").asInt());
    List<String> suspects = Files.readAllLines(out.resolve("suspects.csv"));
    assertEquals(findings.confident().suspects().size() + 1, suspects.size());
    assertTrue(
        suspects.get(0).startsWith("rank,path,image_id,split,given_label,suggested_label,score"));
    long near =
        Files.readAllLines(out.resolve("duplicates.csv")).stream()
            .filter(l -> l.startsWith("near,"))
            .count();
    assertEquals(findings.near().pairs().size(), near);
    String html = Files.readString(out.resolve("audit.html"));
    assertTrue(
        html.contains("Suspected label errors") && html.contains("data:image/svg+xml;base64,"));
  }
}
