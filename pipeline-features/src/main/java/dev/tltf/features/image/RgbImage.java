package dev.tltf.features.image;

/**
 * An 8-bit RGB image, row-major and interleaved: the sample of channel c at (x, y) is {@code
 * pixels[(y * width + x) * 3 + c] & 0xFF}.
 */
public record RgbImage(int width, int height, byte[] pixels) {
  public RgbImage {
    if (width <= 0 || height <= 0 || pixels.length != width * height * 3) {
      throw new IllegalArgumentException(
          "Invalid RGB image " + width + "x" + height + " with " + pixels.length + " bytes");
    }
  }

  public int sample(int x, int y, int channel) {
    return pixels[(y * width + x) * 3 + channel] & 0xFF;
  }
}
