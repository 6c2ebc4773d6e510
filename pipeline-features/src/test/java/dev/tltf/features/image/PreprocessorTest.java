package dev.tltf.features.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PreprocessorTest {
  /** A w × 1 image whose red channel holds {@code reds}; green 0, blue 255. */
  private static RgbImage row(int... reds) {
    byte[] pixels = new byte[reds.length * 3];
    for (int i = 0; i < reds.length; i++) {
      pixels[i * 3] = (byte) reds[i];
      pixels[i * 3 + 2] = (byte) 255;
    }
    return new RgbImage(reds.length, 1, pixels);
  }

  private static float tf(float v) {
    return v / 127.5f - 1f;
  }

  @Test
  void bilinearMatchesTensorFlowHalfPixelCentres() {
    // 2 → 4 pixels: source x = (i + 0.5)·0.5 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamp, lerp .25,
    // lerp .75, clamp.
    float[] input = new Preprocessor(4, ResizeMethod.BILINEAR).toInput(row(0, 200));
    float[] red = new float[4];
    System.arraycopy(input, 0, red, 0, 4); // first plane, first row
    assertArrayEquals(new float[] {tf(0), tf(50), tf(150), tf(200)}, red, 1e-6f);
  }

  @Test
  void nearestMatchesKerasLoadImg() {
    // 4 → 2 pixels: source x = floor((i + 0.5)·2) = 1, 3.
    float[] input = new Preprocessor(2, ResizeMethod.NEAREST).toInput(new RgbImage(4, 4, grid()));
    assertEquals(tf(1 * 10 + 1), input[0], 1e-6f);
    assertEquals(tf(1 * 10 + 3), input[1], 1e-6f);
    assertEquals(tf(3 * 10 + 1), input[2], 1e-6f);
  }

  @Test
  void layoutIsChannelsFirstAndScaledToMinusOneOne() {
    float[] input = new Preprocessor(2, ResizeMethod.NEAREST).toInput(row(255, 0));
    // plane R (4 values), plane G, plane B; 1 row replicated to 2 rows by nearest.
    assertArrayEquals(new float[] {1, -1, 1, -1, -1, -1, -1, -1, 1, 1, 1, 1}, input, 1e-6f);
  }

  private static byte[] grid() {
    byte[] pixels = new byte[4 * 4 * 3];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        pixels[(y * 4 + x) * 3] = (byte) (y * 10 + x);
      }
    }
    return pixels;
  }
}
