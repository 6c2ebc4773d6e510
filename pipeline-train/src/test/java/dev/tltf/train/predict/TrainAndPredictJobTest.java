package dev.tltf.train.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.io.Json;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.TrainHeadCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * train-head and predict through their entry points, on a store of synthetic vectors (no backbone
 * involved).
 */
class TrainAndPredictJobTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final List<String> LABELS = List.of("cats", "dogs", "foxes");

  @TempDir static Path dir;
  static String store;

  @BeforeAll
  static void writeStore() throws Exception {
    store = dir.resolve("store").toString();
    StoreFixtures.write(
        SPARK,
        store,
        StoreFixtures.fingerprint("random:1", 64),
        StoreFixtures.blobs(LABELS, 80, 64, 0.5, 11));
  }

  record Result(int status, String err) {}

  static Result run(Object command, String... args) {
    StringWriter err = new StringWriter();
    int status = JobMain.run(command, ConfDefaults.load(null), new PrintWriter(err, true), args);
    return new Result(status, err.toString());
  }

  @Test
  void trainsAHeadAndPredictsEveryVector() throws Exception {
    String head = dir.resolve("head").toString();
    Result trained = run(new TrainHeadCommand(), "--features", store, "--out", head);
    assertEquals(0, trained.status(), trained.err());
    assertEquals(LABELS, HeadDirectory.load(head, new Configuration()).labels());
    JsonNode metrics = Json.mapper().readTree(Files.readString(Path.of(head, "metrics.json")));
    assertTrue(metrics.at("/test/accuracy").asDouble() >= 0.95, metrics.at("/test").toString());
    long counted = 0;
    for (String part : List.of("train", "validation", "test")) {
      for (String label : LABELS) {
        counted += metrics.at("/counts/" + part + "/" + label).asLong();
      }
    }
    assertEquals(240, counted, "every vector is in exactly one split");

    String predictions = dir.resolve("predictions").toString();
    Result predicted =
        run(
            new PredictFeaturesCommand(),
            "--head",
            head,
            "--features",
            store,
            "--out",
            predictions,
            "--top-k",
            "2");
    assertEquals(0, predicted.status(), predicted.err());
    List<Row> rows = SPARK.read().parquet(predictions).collectAsList();
    assertEquals(240, rows.size());
    long correct =
        rows.stream().filter(r -> r.getString(0).startsWith(r.getString(2) + "/")).count();
    assertTrue(correct >= 228, correct + " of 240 correct");
    assertEquals(2, rows.get(0).getList(4).size());

    Result again =
        run(
            new PredictFeaturesCommand(),
            "--head",
            head,
            "--features",
            store,
            "--out",
            predictions);
    assertEquals(
        "predict: Cannot write predictions to "
            + predictions
            + ": it already exists; pass --overwrite to "
            + "replace it.",
        again.err().trim());
  }

  @Test
  void headJsonRecordsProvenanceWithGivenAndDefaultedSettingsAndTheLabelsDigest() throws Exception {
    Path labels = dir.resolve("provenance-labels.csv");
    StringBuilder csv = new StringBuilder("path,label\n");
    for (Row row : SPARK.read().parquet(store + "/features").select("path").collectAsList()) {
      csv.append(row.getString(0))
          .append(',')
          .append(row.getString(0).substring(0, row.getString(0).indexOf('/')))
          .append('\n');
    }
    Files.writeString(labels, csv);
    String head = dir.resolve("head-provenance").toString();
    Result trained =
        run(
            new TrainHeadCommand(),
            "--features",
            store,
            "--out",
            head,
            "--labels",
            labels.toString(),
            "--seed",
            "5");
    assertEquals(0, trained.status(), trained.err());
    JsonNode provenance =
        Json.mapper()
            .readTree(Files.readString(Path.of(head, "head.json")))
            .at("/training/provenance");
    assertEquals("5", provenance.at("/given/seed").asText(), provenance.toString());
    assertTrue(
        provenance.at("/given/labels").asText().endsWith("provenance-labels.csv"),
        provenance.toString());
    assertTrue(
        provenance.at("/defaulted").has("l2") && !provenance.at("/given").has("l2"),
        provenance.toString());
    assertEquals(
        dev.tltf.common.io.Sha256.hex(Files.readAllBytes(labels)),
        provenance.at("/inputs/labels.sha256").asText());
    assertTrue(provenance.at("/versions/dl4j").asText().startsWith("1.0.0"), provenance.toString());
    assertTrue(
        provenance.at("/versions/java").asText().startsWith(System.getProperty("java.version")));
    assertTrue(
        Files.readString(Path.of(head, "report.html")).contains("provenance: versions: dl4j"),
        "the report shows the provenance");
  }

  @Test
  void theMiniBatchSolverStillTrainsSoftmaxAndHiddenLayerHeads() throws Exception {
    for (List<String> flags : List.of(List.of("--solver", "sgd"), List.of("--hidden", "16"))) {
      String head = dir.resolve("sgd-" + flags.get(1)).toString();
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "--features",
                  store,
                  "--out",
                  head,
                  "--l2",
                  "0.0001",
                  "--epochs",
                  "20",
                  "--verbose"));
      args.addAll(flags);
      Result trained = run(new TrainHeadCommand(), args.toArray(String[]::new));
      assertEquals(0, trained.status(), trained.err());
      JsonNode metrics = Json.mapper().readTree(Files.readString(Path.of(head, "metrics.json")));
      assertEquals("sgd", metrics.at("/solver").asText());
      assertTrue(metrics.at("/test/accuracy").asDouble() >= 0.9, metrics.at("/test").toString());
    }
  }

  @Test
  void refusesAStoreOfAnotherBackbone() throws Exception {
    String head = dir.resolve("head-for-mismatch").toString();
    assertEquals(
        0,
        run(new TrainHeadCommand(), "--features", store, "--out", head, "--epochs", "2").status());
    String other = dir.resolve("other-store").toString();
    StoreFixtures.write(
        SPARK,
        other,
        StoreFixtures.fingerprint("random:2", 64),
        StoreFixtures.blobs(LABELS, 2, 64, 0.5, 3));
    Result refused =
        run(
            new PredictFeaturesCommand(),
            "--head",
            head,
            "--features",
            other,
            "--out",
            dir.resolve("p2").toString());
    assertEquals(JobMain.EXIT_BAD_INPUT, refused.status());
    assertTrue(
        refused.err().contains("weights random:2") && refused.err().contains("weights random:1"),
        refused.err());
  }

  @Test
  void badTrainingInputIsRefusedBeforeTraining() throws Exception {
    String single = dir.resolve("single").toString();
    StoreFixtures.write(
        SPARK,
        single,
        StoreFixtures.fingerprint("random:1", 64),
        StoreFixtures.blobs(List.of("only"), 10, 64, 0.5, 3));
    Result one =
        run(new TrainHeadCommand(), "--features", single, "--out", dir.resolve("h1").toString());
    assertEquals(
        "train-head: Cannot train on "
            + single
            + ": a head needs at least 2 classes, found 1 [only].",
        one.err().trim());
    Result lr =
        run(
            new TrainHeadCommand(),
            "--features",
            store,
            "--out",
            dir.resolve("h2").toString(),
            "--learning-rate",
            "-1");
    assertEquals(
        "train-head: Invalid --learning-rate: -1.0 (must be > 0 and ≤ 10).", lr.err().trim());
    Result lbfgs =
        run(
            new TrainHeadCommand(),
            "--features",
            store,
            "--out",
            dir.resolve("h3").toString(),
            "--solver",
            "lbfgs",
            "--hidden",
            "16");
    assertEquals(JobMain.EXIT_BAD_INPUT, lbfgs.status());
    assertEquals(
        "train-head: Invalid --solver: lbfgs (it trains heads without a hidden layer or dropout; found "
            + "--hidden 16 --dropout 0.0: use --solver sgd).",
        lbfgs.err().trim());
    Result tolerance =
        run(
            new TrainHeadCommand(),
            "--features",
            store,
            "--out",
            dir.resolve("h4").toString(),
            "--tolerance",
            "0");
    assertEquals(
        "train-head: Invalid --tolerance: 0.0 (must be > 0 and < 1).", tolerance.err().trim());
    for (String head : List.of("h1", "h2", "h3", "h4")) {
      assertTrue(Files.notExists(dir.resolve(head)), head);
    }
  }

  @Test
  void everyFlagHasItsDefaultInConf() {
    ConfDefaults defaults = ConfDefaults.load(null);
    for (Object command : List.of(new TrainHeadCommand(), new PredictFeaturesCommand())) {
      CommandLine cli = new CommandLine(command);
      for (OptionSpec option : cli.getCommandSpec().options()) {
        String flag = option.longestName().replaceFirst("^-+", "");
        if (!option.required()
            && option.arity().max() > 0
            && !List.of("help", "version").contains(flag)) {
          assertTrue(
              defaults.defaultValue(option) != null, // its own key or its shared section's
              "conf/tltf.properties lacks " + cli.getCommandName() + "." + flag);
        }
      }
    }
  }
}
