package dev.tltf.train.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.io.Json;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.TrainHeadCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the loop: train-head --exclude leaves the listed images out and says how many and why.
 */
class ExcludeTest {
  @TempDir Path dir;

  private int trainHead(StringWriter err, String... args) {
    return JobMain.run(
        new TrainHeadCommand(), ConfDefaults.load(null), new PrintWriter(err, true), args);
  }

  @Test
  void listedImagesAreLeftOutAndCountedByReason() throws Exception {
    List<StoreFixtures.Vector> vectors = StoreFixtures.blobs(List.of("a", "b"), 40, 16, 0.5, 7);
    String store = dir.resolve("store").toString();
    StoreFixtures.write(
        SharedSpark.session(), store, StoreFixtures.fingerprint("random:1", 16), vectors);
    StringBuilder csv = new StringBuilder("rank,path,image_id,reason\n");
    for (int i = 0; i < 7; i++) {
      StoreFixtures.Vector v = vectors.get(i * 5);
      csv.append(i + 1)
          .append(',')
          .append(v.path())
          .append(',')
          .append(v.imageId().toUpperCase(Locale.ROOT))
          .append(',')
          .append(i < 5 ? AuditTables.SUSPECT_REASON : AuditTables.OUTLIER_REASON)
          .append('\n');
    }
    csv.append("8,nowhere.jpg,")
        .append("ab".repeat(32))
        .append(",outlier\n"); // names no stored image
    Path exclude = Files.writeString(dir.resolve("suspects.csv"), csv);
    Path head = dir.resolve("head");
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        trainHead(
            err,
            "--features",
            store,
            "--out",
            head.toString(),
            "--epochs",
            "3",
            "--l2",
            "0.001",
            "--exclude",
            exclude.toString()),
        err.toString());
    JsonNode metrics = Json.mapper().readTree(Files.readString(head.resolve("metrics.json")));
    JsonNode excluded = metrics.get("excluded");
    assertEquals(7, excluded.get("excludedImages").asInt(), excluded.toString());
    assertEquals(8, excluded.get("listed").asInt());
    assertEquals(
        5, excluded.at("/byReason/" + AuditTables.SUSPECT_REASON.replace(" ", " ")).asInt());
    assertEquals(2, excluded.at("/byReason/outlier").asInt());
    long counted = 0;
    for (JsonNode part : metrics.get("counts")) {
      for (JsonNode count : part) {
        counted += count.asLong();
      }
    }
    assertEquals(vectors.size() - 7, counted);
  }

  @Test
  void anExcludeFileWithoutAKeyColumnIsBadInput() throws Exception {
    String store = dir.resolve("store").toString();
    StoreFixtures.write(
        SharedSpark.session(),
        store,
        StoreFixtures.fingerprint("random:1", 16),
        StoreFixtures.blobs(List.of("a", "b"), 10, 16, 0.5, 7));
    Path exclude = Files.writeString(dir.resolve("x.csv"), "file,why\na.jpg,bad\n");
    StringWriter err = new StringWriter();
    assertEquals(
        2,
        trainHead(
            err,
            "--features",
            store,
            "--out",
            dir.resolve("head").toString(),
            "--exclude",
            exclude.toString()));
    assertTrue(
        err.toString()
            .contains("its header must name an 'image_id' or a 'path' column; found: file, why."),
        err.toString());
  }
}
