package dev.tltf.features.image;

/**
 * The source row or column that Pillow's {@code Image.resize(size, NEAREST)} takes for each output
 * index — what Keras' {@code load_img} does by default. Pillow (libImaging/Geometry.c, {@code
 * ImagingScaleAffine}, unchanged from 8.x to 11.x) does not evaluate {@code floor((x + 0.5) ·
 * in/out)} for each x: it starts at {@code step · 0.5} with {@code step = (double) in / out} and
 * adds {@code step} once per output pixel, truncating each running sum. The rounding errors of that
 * sum decide the source index exactly where {@code (x + 0.5) · in/out} is a whole number (for
 * example in = 480, out = 299, x = 149: exactly 240, Pillow takes 239); there is no closed form for
 * which of those ties fall below, so the loop is replicated as it is. Java's {@code double}
 * addition is IEEE 754 binary64 round-to-nearest, the same as C's on every platform Pillow ships
 * wheels for, so the sums are bit-identical.
 */
final class PillowNearest {
  private PillowNearest() {}

  /** For each of the {@code outSize} output indices, the source index in {@code [0, inSize)}. */
  static int[] sourceIndices(int inSize, int outSize) {
    if (inSize <= 0 || outSize <= 0) {
      throw new IllegalArgumentException(
          "Invalid resize from " + inSize + " to " + outSize + " pixels");
    }
    int[] indices = new int[outSize];
    if (inSize == outSize) {
      // Pillow copies the image unchanged when the size already matches; the sum below gives the
      // same indices.
      for (int i = 0; i < outSize; i++) {
        indices[i] = i;
      }
      return indices;
    }
    double step = (double) inSize / outSize;
    double position = step * 0.5;
    for (int i = 0; i < outSize; i++) {
      // Pillow truncates with a cast (its COORD macro); the sum is never negative here. It never
      // reaches inSize
      // either (it ends about step / 2 below it), so the clamp only guards the array.
      indices[i] = Math.min((int) position, inSize - 1);
      position += step;
    }
    return indices;
  }
}
