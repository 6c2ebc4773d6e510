package dev.tltf.features.benchmark;

import java.util.Random;

/**
 * The benchmark's input images: uniform noise, uint8 NHWC, what a serving client sends to the ONNX
 * model. Seeded, so that the ONNX Runtime child times the very pixels ours is given. Depends on
 * nothing but the JDK: the child's classpath is ONNX Runtime and this module's classes.
 */
final class NoiseImages {
  private NoiseImages() {}

  /** {@code count} images of {@code size}² noise pixels, RGB, row by row. */
  static byte[] pixels(int count, int size, long seed) {
    byte[] pixels = new byte[count * size * size * 3];
    new Random(seed).nextBytes(pixels);
    return pixels;
  }
}
