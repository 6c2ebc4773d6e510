package dev.tltf.common.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.io.Sha256;
import dev.tltf.common.labels.FolderLabels;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitTest {
  private final Split split = new Split(80, 10);

  @Test
  void decidesByTheFirstEightHexDigitsOfTheId() {
    // 0x00000000 → bucket 0 → train; bucket = value mod 10000.
    assertEquals(Split.Part.TRAIN, split.partOf("00000000" + "f".repeat(56)));
    // 0x00001f40 = 8000 → first validation bucket; 0x00002328 = 9000 → first test bucket.
    assertEquals(Split.Part.TRAIN, split.partOf("00001f3f" + "0".repeat(56)));
    assertEquals(Split.Part.VALIDATION, split.partOf("00001f40" + "0".repeat(56)));
    assertEquals(Split.Part.TEST, split.partOf("00002328" + "0".repeat(56)));
  }

  @Test
  void proportionsFollowThePercentagesAndNeverChange() {
    Map<Split.Part, Integer> counts = new EnumMap<>(Split.Part.class);
    for (int i = 0; i < 20_000; i++) {
      String id = Sha256.hex(("image " + i).getBytes(StandardCharsets.UTF_8));
      Split.Part part = split.partOf(id);
      assertEquals(part, new Split(80, 10).partOf(id));
      counts.merge(part, 1, Integer::sum);
    }
    assertEquals(16_000, counts.get(Split.Part.TRAIN), 300);
    assertEquals(2_000, counts.get(Split.Part.VALIDATION), 150);
    assertEquals(2_000, counts.get(Split.Part.TEST), 150);
  }

  @Test
  void rejectsPercentagesThatDoNotAddUp() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Split(80, 30));
    assertEquals(
        "Invalid --validation-percent: 30 (must be between 0 and 20, so that train + validation ≤ 100).",
        e.getMessage());
    assertTrue(
        assertThrows(InvalidInputException.class, () -> new Split(0, 10))
            .getMessage()
            .startsWith("Invalid --train-percent: 0"));
  }

  @Test
  void folderLabelIsTheParentFolder() {
    assertEquals("cats", FolderLabels.labelOf("cats/001.jpg"));
    assertEquals("tabby", FolderLabels.labelOf("cats/tabby/001.jpg"));
    assertEquals(null, FolderLabels.labelOf("001.jpg"));
  }
}
