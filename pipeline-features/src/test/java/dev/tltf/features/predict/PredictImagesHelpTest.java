package dev.tltf.features.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.predict.PredictHelp;
import dev.tltf.common.testing.JobConsole;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/predict --images URI --help}: the same two-mode page, with the image flags described
 * in full.
 */
class PredictImagesHelpTest {
  private static final List<String> SHARED =
      List.of(
          "--head",
          "--out",
          "--top-k",
          "--format",
          "--overwrite",
          "--help",
          "--version",
          "--images");

  @Test
  void theHelpPageShowsBothModesAndEveryImageFlag() {
    JobConsole.Output page = JobConsole.run(new PredictImagesCommand(), "--help");
    assertEquals(0, page.status(), page.err());
    String text = page.text();
    assertTrue(
        text.startsWith("Usage: bin/predict --head DIR --features URI --out URI [OPTIONS]"), text);
    assertTrue(
        text.contains("\n       bin/predict --head DIR --images URI --out URI [OPTIONS]"), text);
    assertTrue(text.contains("--random-weights=SEED"), text);
    assertTrue(text.contains("Only with --features"), text);
    for (String flag : JobConsole.optionNames(new PredictImagesCommand())) {
      assertTrue(text.contains(flag), flag + " is on the page:\n" + text);
    }
  }

  @Test
  void everyImageOnlyFlagIsNamedOnTheFeaturesPage() {
    String featuresPageFooter = String.format(PredictHelp.IMAGES_ONLY);
    for (String flag : JobConsole.optionNames(new PredictImagesCommand())) {
      assertTrue(
          SHARED.contains(flag) || featuresPageFooter.contains(flag),
          flag + " is missing from " + "PredictHelp.IMAGES_ONLY");
    }
  }
}
