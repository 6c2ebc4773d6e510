package dev.tltf.features.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SamePaddingTest {
  @Test
  void theOddPixelGoesAfter() {
    // 3×3/2 on 8: 4 outputs need (4 − 1)·2 + 3 − 8 = 1 pixel, after.
    assertEquals(new SamePadding(4, 0, 1), SamePadding.of(8, 3, 2));
    // 7/1 on 17: 3 before, 3 after.
    assertEquals(new SamePadding(17, 3, 3), SamePadding.of(17, 7, 1));
    // InceptionV3's 3×3/2 on 299 in 'Same' mode: 150 outputs, 2 pixels split 1 / 1.
    assertEquals(new SamePadding(150, 1, 1), SamePadding.of(299, 3, 2));
    // A window smaller than its stride needs none.
    assertEquals(new SamePadding(3, 0, 0), SamePadding.of(5, 1, 2));
  }

  @Test
  void outputSizeOfTheSamePaddingIsItsOutput() {
    for (int input = 1; input <= 40; input++) {
      for (int kernel = 1; kernel <= 7; kernel++) {
        for (int stride = 1; stride <= 3; stride++) {
          SamePadding same = SamePadding.of(input, kernel, stride);
          assertEquals(
              same.output(),
              SamePadding.outputSize(input, kernel, stride, same.before(), same.after()),
              input + "/" + kernel + "/" + stride);
        }
      }
    }
  }

  @Test
  void outputSizeDropsWindowsThatDoNotFit() {
    // InceptionV3's first 'valid' 3×3/2 on 299: (299 − 3) / 2 + 1 = 149.
    assertEquals(149, SamePadding.outputSize(299, 3, 2, 0, 0));
    assertEquals(3, SamePadding.outputSize(8, 3, 2, 0, 0));
    assertEquals(0, SamePadding.outputSize(2, 3, 1, 0, 0));
  }
}
