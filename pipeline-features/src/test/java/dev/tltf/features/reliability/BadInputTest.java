package dev.tltf.features.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.io.SerializableHadoopConf;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.extract.ExtractFeaturesCommand;
import dev.tltf.features.image.ErrorClass;
import dev.tltf.features.image.ImageDecoder;
import dev.tltf.features.image.ImageRejectedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of the bad-input corpus ends as a feature row or an error row of the expected class;
 * counts reconcile.
 */
class BadInputTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  @Test
  void everyHostileFileGetsItsExpectedOutcome() throws Exception {
    Map<String, String> expected = BadInputCorpus.write(dir.resolve("images"));
    String store = dir.resolve("store").toString();
    StringWriter err = new StringWriter();
    int status =
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            "--images",
            dir.resolve("images").toString(),
            "--out",
            store,
            "--random-weights",
            "4",
            "--image-size",
            "75",
            "--max-file-bytes",
            "300000",
            "--max-pixels",
            "50000000",
            "--progress-seconds",
            "0");
    assertEquals(0, status, err.toString());

    FeatureStore opened = FeatureStore.open(SPARK, store);
    Map<String, String> actual = new HashMap<>();
    for (Row row : opened.features().select("path").collectAsList()) {
      actual.put(row.getString(0), BadInputCorpus.FEATURE);
    }
    Map<String, String> reasons = new HashMap<>();
    for (Row row : opened.errors().select("path", "error_class", "reason").collectAsList()) {
      assertTrue(
          actual.put(row.getString(0), row.getString(1)) == null,
          "one row per input: " + row.getString(0));
      reasons.put(row.getString(0), row.getString(2));
    }
    assertEquals(
        expected,
        new java.util.TreeMap<>(actual).equals(new java.util.TreeMap<>(expected))
            ? expected
            : new java.util.TreeMap<>(actual),
        "outcomes (reasons: " + reasons + ")");
    RunSummary run = opened.runSummaries().get(0);
    assertEquals(expected.size(), run.listed());
    assertEquals(run.listed(), run.featureRows() + run.errorRows());
    assertTrue(
        reasons
            .get("bad/bomb.png")
            .startsWith("The PNG is 100,000 x 100,000 pixels, more than the limit"),
        reasons.get("bad/bomb.png"));
    reasons
        .values()
        .forEach(reason -> assertTrue(reason.endsWith(".") || reason.endsWith(")"), reason));
  }

  @Test
  void aSlowDecodeIsAbortedAtTheTimeLimit() throws Exception {
    byte[] big = BadInputCorpus.noisePng(1500, 1500, new Random(3));
    ImageDecoder impatient = new ImageDecoder(1L << 30, 1L << 30, Duration.ofMillis(1));
    ImageRejectedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ImageRejectedException.class, () -> impatient.decode(big));
    assertEquals(ErrorClass.DECODE_TIMEOUT, e.errorClass());
    assertEquals("Decoding the PNG took longer than the limit of 0.001 s.", e.getMessage());
    assertEquals(
        1500, new ImageDecoder(1L << 30, 1L << 30, Duration.ofSeconds(60)).decode(big).width());
  }

  @Test
  void aFileDeletedAfterListingBecomesAnErrorRow() throws Exception {
    Path file = Files.writeString(dir.resolve("gone.jpg"), "soon gone");
    List<dev.tltf.features.listing.ListedFile> listed =
        dev.tltf.features.listing.ImageListing.list(
            file.toString(), java.util.Set.of("jpg"), new Configuration());
    Files.delete(file);
    Row row = HashStage.hash(new SerializableHadoopConf(new Configuration()), listed.get(0));
    assertEquals("The file vanished after it was listed.", row.getString(3));
    assertEquals("unreadable", row.getString(4));
  }
}
