package dev.tltf.train.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.io.Json;
import dev.tltf.common.split.Split;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.TrainHeadCommand;
import dev.tltf.train.snapshot.StoreSnapshot;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label files, their problems and policies, sweeps and the report, through train-head's entry
 * point.
 */
class LabelsAndSweepsTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final List<String> FOLDERS = List.of("a", "b", "c");

  @TempDir static Path dir;
  static String store;
  static List<StoreFixtures.Vector> vectors;

  @BeforeAll
  static void writeStore() throws Exception {
    store = dir.resolve("store").toString();
    vectors = StoreFixtures.blobs(FOLDERS, 40, 16, 0.4, 21);
    StoreFixtures.write(SPARK, store, StoreFixtures.fingerprint("random:1", 16), vectors);
  }

  record Result(int status, String err) {}

  static Result train(String... args) {
    StringWriter err = new StringWriter();
    String[] all =
        Stream.concat(Stream.of("--features", store), Stream.of(args)).toArray(String[]::new);
    return new Result(
        JobMain.run(
            new TrainHeadCommand(), ConfDefaults.load(null), new PrintWriter(err, true), all),
        err.toString());
  }

  /** A CSV relabelling the blobs: folder a → "odd", b and c → "even"; keyed by path or image_id. */
  static Path csv(String name, String key, List<String> extraLines) throws Exception {
    List<String> lines = new ArrayList<>(List.of(key + ",label"));
    for (StoreFixtures.Vector v : vectors) {
      lines.add(
          (key.equals("path") ? v.path() : v.imageId())
              + ","
              + (v.path().startsWith("a/") ? "odd" : "even"));
    }
    lines.addAll(extraLines);
    return Files.write(dir.resolve(name), lines);
  }

  @Test
  void relabellingWithACsvTrainsANewHeadWithoutTouchingTheStore() throws Exception {
    List<String> runsBefore = FeatureStore.open(SPARK, store).committedRuns();
    Path byPath = csv("by-path.csv", "path", List.of());
    Result result =
        train("--out", dir.resolve("relabelled").toString(), "--labels", byPath.toString());
    assertEquals(0, result.status(), result.err());
    assertEquals(
        List.of("even", "odd"),
        HeadDirectory.load(dir.resolve("relabelled").toString(), new Configuration()).labels());
    assertEquals(
        runsBefore,
        FeatureStore.open(SPARK, store).committedRuns(),
        "no run was added: no forward pass");

    Path byId = csv("by-id.csv", "image_id", List.of());
    assertEquals(
        0, train("--out", dir.resolve("by-id").toString(), "--labels", byId.toString()).status());
  }

  @Test
  void labelProblemsFailOrWarnAsConfigured() throws Exception {
    Path conflicting = csv("conflict.csv", "path", List.of("a/a_0.jpg,even"));
    Result conflict =
        train("--out", dir.resolve("h1").toString(), "--labels", conflicting.toString());
    assertEquals(JobMain.EXIT_BAD_INPUT, conflict.status());
    assertEquals(
        "train-head: Invalid --labels: 1 keys of "
            + conflicting
            + " (keyed by path) have conflicting labels "
            + "(e.g. 'a/a_0.jpg: even, odd'); fix the file or pass --on-conflict drop to leave them out.",
        conflict.err().trim());
    assertEquals(
        0,
        train(
                "--out",
                dir.resolve("h2").toString(),
                "--labels",
                conflicting.toString(),
                "--on-conflict",
                "drop")
            .status());
    JsonNode leftOut =
        Json.mapper().readTree(Files.readString(dir.resolve("h2/metrics.json"))).get("leftOut");
    assertEquals(1, leftOut.get("conflictingKeys").asInt());
    assertEquals(1, leftOut.get("unlabeledImages").asInt(), "the conflicting image has no label");

    Path unknown = csv("unknown.csv", "path", List.of("z/never.jpg,odd", "z/gone.jpg,even"));
    assertEquals(
        0,
        train("--out", dir.resolve("h3").toString(), "--labels", unknown.toString()).status(),
        "unknown keys are dropped with a warning by default");
    Result strict =
        train(
            "--out",
            dir.resolve("h4").toString(),
            "--labels",
            unknown.toString(),
            "--on-unknown-key",
            "fail");
    assertTrue(
        strict
                .err()
                .contains(
                    "2 keys of " + unknown + " (keyed by path) name no image in feature store")
            && strict.err().contains("'z/gone.jpg'"),
        strict.err());

    Path partial =
        Files.write(
            dir.resolve("partial.csv"),
            List.of("path,label", "a/a_0.jpg,x", "a/a_1.jpg,x", "b/b_0.jpg,y"));
    Result small = train("--out", dir.resolve("h5").toString(), "--labels", partial.toString());
    assertEquals(
        "train-head: Cannot train: classes with fewer than 5 examples: 'x' (2), 'y' (1); add images, lower "
            + "--min-examples or pass --on-small-class drop.",
        small.err().trim());
    Result unlabeled =
        train(
            "--out",
            dir.resolve("h6").toString(),
            "--labels",
            partial.toString(),
            "--min-examples",
            "1",
            "--on-unlabeled",
            "fail");
    assertTrue(
        unlabeled
            .err()
            .startsWith(
                "train-head: Cannot train: 117 images of feature store "
                    + store
                    + " have no label in"),
        unlabeled.err());

    Path noLabel = Files.write(dir.resolve("bad-header.csv"), List.of("file,class", "a/a_0.jpg,x"));
    assertEquals(
        "train-head: Invalid --labels "
            + noLabel
            + ": its header must name a 'label' column and a 'path' or "
            + "'image_id' column; found: file, class.",
        train("--out", dir.resolve("h7").toString(), "--labels", noLabel.toString()).err().trim());
    for (String h : List.of("h1", "h4", "h5", "h6", "h7")) {
      assertTrue(Files.notExists(dir.resolve(h)), h + " must not be written");
    }
  }

  @Test
  void aSweepTrainsOneHeadPerCombinationAndRanksThem() throws Exception {
    Path byPath = csv("sweep.csv", "path", List.of());
    Path out = dir.resolve("sweep");
    Result result =
        train(
            "--out",
            out.toString(),
            "--labels",
            "dirs," + byPath,
            "--learning-rate",
            "0.001,0.01",
            "--epochs",
            "5");
    assertEquals(0, result.status(), result.err());
    List<String> table = Files.readAllLines(out.resolve("sweep.csv"));
    assertEquals(5, table.size());
    assertEquals(
        "rank,head,labels,learning_rate,l2,best_epoch,validation_accuracy,test_accuracy",
        table.get(0));
    double previous = 1;
    for (String line : table.subList(1, 5)) {
      String[] cells = line.split(",", -1);
      double validation = Double.parseDouble(cells[6]);
      assertTrue(validation <= previous, "ranked by validation accuracy: " + table);
      previous = validation;
      assertTrue(Files.isRegularFile(out.resolve(cells[1]).resolve("model.zip")), cells[1]);
    }
  }

  @Test
  void theReportShowsTheConfusionMatrixAndLearningCurves() throws Exception {
    Path head = dir.resolve("reported");
    assertEquals(0, train("--out", head.toString()).status());
    String html = Files.readString(head.resolve("report.html"));
    Matcher images =
        Pattern.compile("<img alt=\"([^\"]+)\" src=\"data:image/png;base64,([^\"]+)\">")
            .matcher(html);
    Map<String, BufferedImage> pictures = new HashMap<>();
    while (images.find()) {
      pictures.put(
          images.group(1),
          ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(images.group(2)))));
    }
    assertTrue(pictures.get("confusion matrix").getWidth() >= 400, pictures.keySet().toString());
    assertTrue(pictures.get("learning curves").getHeight() >= 400);
    assertTrue(html.contains("<th class=\"l\">true \\ predicted</th>"));
    assertTrue(
        Files.readString(head.resolve("misclassified.csv"))
            .startsWith("path,true_label,predicted_label," + "probability"));
  }

  @Test
  void theSplitOfAnImageNeverChangesWhenImagesAreAdded() throws Exception {
    String growing = dir.resolve("growing").toString();
    List<StoreFixtures.Vector> first = StoreFixtures.blobs(FOLDERS, 20, 8, 0.4, 5);
    StoreFixtures.write(SPARK, growing, StoreFixtures.fingerprint("random:1", 8), first);
    Map<String, Split.Part> before = parts(growing);
    StoreFixtures.write(
        SPARK,
        growing,
        StoreFixtures.fingerprint("random:1", 8),
        StoreFixtures.blobs(List.of("d", "e"), 30, 8, 0.4, 6));
    Map<String, Split.Part> after = parts(growing);
    assertEquals(60 + 60, after.size());
    before.forEach((path, part) -> assertEquals(part, after.get(path), path));
  }

  private static Map<String, Split.Part> parts(String location) {
    Map<String, Split.Part> parts = new HashMap<>();
    try (StoreSnapshot snapshot =
        StoreSnapshot.read(FeatureStore.open(SPARK, location), new Split(80, 10))) {
      for (Split.Part part : Split.Part.values()) {
        for (int row = 0; row < snapshot.part(part).size(); row++) {
          parts.put(snapshot.part(part).path(row), part);
        }
      }
    }
    return parts;
  }
}
