package dev.tltf.features.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PillowNearest} and {@code --resize nearest} against Pillow 9.4 itself: the index maps for
 * every input size 1..4,000 (resource {@code pillow-nearest-table.txt}, made by {@code
 * pillow_nearest_table.py}) and whole images resized by Pillow ({@code pillow_nearest_images.py}).
 */
class PillowNearestTest {
  private static final String TABLE = "pillow-nearest-table.txt";

  /**
   * Pillow's table: output sizes, input size range, and the indices that are not the exact floor.
   */
  private record Table(
      int[] outputs, int minInput, int maxInput, Map<String, Map<Integer, Integer>> exceptions) {
    int[] indices(int in, int out) {
      Map<Integer, Integer> differing = exceptions.getOrDefault(out + " " + in, Map.of());
      int[] indices = new int[out];
      for (int x = 0; x < out; x++) {
        indices[x] = differing.getOrDefault(x, (int) ((2L * x + 1) * in / (2L * out)));
      }
      return indices;
    }
  }

  private static Table table() throws IOException {
    int[] outputs = null;
    int min = 0;
    int max = 0;
    Map<String, Map<Integer, Integer>> exceptions = new HashMap<>();
    try (InputStream in = PillowNearestTest.class.getResourceAsStream(TABLE);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] fields = line.split(" ", -1);
        if (line.startsWith("#")) {
          // a comment line
        } else if (fields[0].equals("outputs")) {
          outputs = new int[fields.length - 1];
          for (int i = 1; i < fields.length; i++) {
            outputs[i - 1] = Integer.parseInt(fields[i]);
          }
        } else if (fields[0].equals("inputs")) {
          min = Integer.parseInt(fields[1]);
          max = Integer.parseInt(fields[2]);
        } else {
          Map<Integer, Integer> row = new HashMap<>();
          for (int i = 2; i < fields.length; i++) {
            String[] pair = fields[i].split("=", -1);
            row.put(Integer.parseInt(pair[0]), Integer.parseInt(pair[1]));
          }
          exceptions.put(fields[0] + " " + fields[1], row);
        }
      }
    }
    return new Table(outputs, min, max, exceptions);
  }

  @Test
  void indexMapsArePillowsForEveryInputSizeUpTo4000() throws IOException {
    Table table = table();
    assertEquals(1, table.minInput());
    assertEquals(4000, table.maxInput());
    assertTrue(
        List.of(299, 75).stream()
            .allMatch(out -> java.util.Arrays.stream(table.outputs()).anyMatch(o -> o == out)),
        "the table covers 299 and 75");
    List<String> wrong = new ArrayList<>();
    for (int out : table.outputs()) {
      for (int in = table.minInput(); in <= table.maxInput(); in++) {
        int[] expected = table.indices(in, out);
        int[] actual = PillowNearest.sourceIndices(in, out);
        for (int x = 0; x < out; x++) {
          if (actual[x] != expected[x]) {
            wrong.add(
                in
                    + "→"
                    + out
                    + " at "
                    + x
                    + ": "
                    + actual[x]
                    + " instead of Pillow's "
                    + expected[x]);
          }
        }
      }
    }
    assertTrue(
        wrong.isEmpty(),
        wrong.size()
            + " indices differ from Pillow's, e.g. "
            + wrong.subList(0, Math.min(10, wrong.size())));
  }

  @Test
  void theTableHoldsTheTiesThatPillowRoundsDown() throws IOException {
    // A camera frame's 480 rows to 299: (149 + 0.5) · 480 / 299 is exactly 240, Pillow's running
    // sum gives 239.
    assertEquals(239, table().indices(480, 299)[149]);
    assertEquals(239, PillowNearest.sourceIndices(480, 299)[149]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"640x480", "512x384", "584x872"})
  void wholeImagesResizeAsPillowDoes(String size) throws Exception {
    ImageDecoder decoder = new ImageDecoder(10_000_000, 10_000_000, Duration.ofMinutes(1));
    RgbImage source = decoder.decode(resource("coordinates-" + size + ".png"));
    RgbImage pillow = decoder.decode(resource("coordinates-" + size + "-nearest-299.png"));
    assertEquals(299, pillow.width());
    float[] ours = new Preprocessor(299, ResizeMethod.NEAREST).toInput(source);
    float[] expected = new float[ours.length];
    int plane = 299 * 299;
    for (int y = 0; y < 299; y++) {
      for (int x = 0; x < 299; x++) {
        for (int c = 0; c < 3; c++) {
          expected[c * plane + y * 299 + x] = pillow.sample(x, y, c) / 127.5f - 1f;
        }
      }
    }
    assertArrayEquals(
        expected, ours, 0f, size + " resized by --resize nearest differs from Pillow's NEAREST");
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = PillowNearestTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
