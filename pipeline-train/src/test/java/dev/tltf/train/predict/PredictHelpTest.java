package dev.tltf.train.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.predict.PredictHelp;
import dev.tltf.common.testing.JobConsole;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/predict --help} (prediction from features) shows both modes, an example of each, and
 * every flag.
 */
class PredictHelpTest {
  @Test
  void theHelpPageShowsBothModesWithAnExampleEach() {
    JobConsole.Output page = JobConsole.run(new PredictFeaturesCommand(), "--help");
    assertEquals(0, page.status(), page.err());
    String text = page.text();
    assertTrue(
        text.startsWith("Usage: bin/predict --head DIR --features URI --out URI [OPTIONS]"), text);
    assertTrue(
        text.contains("\n       bin/predict --head DIR --images URI --out URI [OPTIONS]"), text);
    assertTrue(
        text.contains(
            "  bin/predict --head demo-output/head --features demo-output/features --out "
                + "predictions.csv --format csv"),
        text);
    assertTrue(
        text.contains("  bin/predict --head demo-output/head --images new-photos/ --out"), text);
    for (String flag : JobConsole.optionNames(new PredictFeaturesCommand())) {
      assertTrue(text.contains(flag), flag + " is on the page:\n" + text);
    }
    for (String flag :
        List.of(
            "--weights",
            "--random-weights",
            "--batch-size",
            "--extensions",
            "--max-file-bytes",
            "--max-pixels",
            "--decode-timeout-seconds")) {
      assertTrue(text.contains(flag), flag + " (only with --images) is named:\n" + text);
    }
    assertTrue(!text.contains("\u001b["), "no escape codes outside a terminal");
  }

  @Test
  void theFeaturesOnlyFlagIsNamedOnTheImagesPage() {
    for (String flag : JobConsole.optionNames(new PredictFeaturesCommand())) {
      boolean shared =
          List.of("--head", "--out", "--top-k", "--format", "--overwrite", "--help", "--version")
              .contains(flag);
      assertTrue(shared || String.format(PredictHelp.FEATURES_ONLY).contains(flag), flag);
    }
  }
}
