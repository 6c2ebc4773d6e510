package dev.tltf.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.store.RandomWeightsWarning;
import dev.tltf.common.testing.JobConsole;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.TrainHeadCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train-head on vectors of random weights says so in its summary and at the top of its report; on a
 * file, not.
 */
class RandomWeightsSummaryTest {
  @TempDir Path dir;

  private JobConsole.Output train(String weights) throws Exception {
    String store = dir.resolve("store-" + weights.charAt(0)).toString();
    StoreFixtures.write(
        SharedSpark.session(),
        store,
        StoreFixtures.fingerprint(weights, 8),
        StoreFixtures.blobs(List.of("a", "b"), 20, 8, 0.2, 5));
    return JobConsole.run(
        new TrainHeadCommand(),
        "--features",
        store,
        "--out",
        dir.resolve("head-" + weights.charAt(0)).toString(),
        "--epochs",
        "3",
        "--l2",
        "0.001");
  }

  @Test
  void theSummaryAndTheReportWarnAboutRandomWeights() throws Exception {
    JobConsole.Output random = train("random:7");
    assertEquals(0, random.status(), random.err());
    String warning = RandomWeightsWarning.of("random:7").orElseThrow();
    assertTrue(
        random.text().contains("head written to ") && random.text().contains(warning),
        random.text());
    String html = Files.readString(dir.resolve("head-r/report.html"));
    assertTrue(html.contains("id=\"random-weights\">" + warning), "the report warns too");

    JobConsole.Output real = train("sha256:" + "cd".repeat(32));
    assertEquals(0, real.status(), real.err());
    assertFalse(real.text().contains("WARNING"), real.text());
    assertFalse(Files.readString(dir.resolve("head-s/report.html")).contains("random-weights"));
  }
}
