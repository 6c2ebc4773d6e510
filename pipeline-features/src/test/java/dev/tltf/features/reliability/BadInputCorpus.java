package dev.tltf.features.reliability;

import dev.tltf.features.demo.SyntheticImages;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes the hostile and odd files image folders hold in the wild, each with the outcome the
 * feature job must give it: {@code "feature"} or the exact error class.
 */
final class BadInputCorpus {
  static final String FEATURE = "feature";

  private BadInputCorpus() {}

  /** Writes the corpus under {@code dir} and returns relative path → expected outcome. */
  static Map<String, String> write(Path dir) throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Random random = new Random(7);
    byte[] jpeg = encode(SyntheticImages.draw("circles", 160, 120, random), "jpeg");
    byte[] png = encode(SyntheticImages.draw("squares", 160, 120, random), "png");

    put(expected, bad, "empty.jpg", new byte[0], "empty_file");
    for (int cut : new int[] {20, jpeg.length / 2, jpeg.length - 40}) {
      put(
          expected,
          bad,
          "truncated_jpeg_" + cut + ".jpg",
          Arrays.copyOf(jpeg, cut),
          "corrupt_image");
    }
    for (int percent : new int[] {30, 60, 90}) {
      put(
          expected,
          bad,
          "truncated_png_" + percent + ".png",
          Arrays.copyOf(png, png.length * percent / 100),
          "corrupt_image");
    }
    byte[] noise = new byte[5000];
    random.nextBytes(noise);
    noise[0] = 0x7F; // no image format starts so
    put(expected, bad, "random_bytes.jpg", noise, "unsupported_format");
    put(
        expected,
        bad,
        "page.jpg",
        "<!DOCTYPE html><html><body>Not found</body></html>".getBytes(StandardCharsets.UTF_8),
        "unsupported_format");
    put(
        expected,
        bad,
        "bitmap_named.jpg",
        encode(SyntheticImages.draw("stripes", 90, 60, random), "bmp"),
        FEATURE);
    put(expected, bad, "huge_header.jpg", jpegWithSize(jpeg, 65000, 65000), "too_many_pixels");
    put(
        expected,
        bad,
        "bomb.png",
        pngWithSize(
            encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png"), 100_000, 100_000),
        "too_many_pixels");
    put(
        expected,
        bad,
        "one_pixel.png",
        encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png"),
        FEATURE);
    put(
        expected,
        bad,
        "line_1x5000.png",
        encode(new BufferedImage(1, 5000, BufferedImage.TYPE_INT_RGB), "png"),
        FEATURE);
    put(
        expected,
        bad,
        "deep_16bit.png",
        encode(new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY), "png"),
        FEATURE);
    byte[] r = {0, (byte) 255, 0, 0};
    byte[] g = {0, 0, (byte) 255, 0};
    byte[] b = {0, 0, 0, (byte) 255};
    put(
        expected,
        bad,
        "palette.png",
        encode(
            new BufferedImage(
                40, 30, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(2, 4, r, g, b)),
            "png"),
        FEATURE);
    put(expected, bad, "four_channel.jpg", fourChannelJpeg(), FEATURE);
    put(expected, bad, "animated.gif", animatedGif(), FEATURE);
    put(expected, bad, "name with spaces ü 图.jpg", jpeg, FEATURE);
    put(expected, bad, "noise_too_large.png", noisePng(400, 400, random), "file_too_large");

    Path locked = bad.resolve("locked.jpg");
    Files.write(locked, jpeg);
    locked.toFile().setReadable(false, false);
    expected.put(
        "bad/locked.jpg",
        Files.isReadable(locked) ? FEATURE : "unreadable"); // root reads everything

    Files.createSymbolicLink(bad.resolve("loop_a.jpg"), bad.resolve("loop_b.jpg"));
    Files.createSymbolicLink(bad.resolve("loop_b.jpg"), bad.resolve("loop_a.jpg"));
    expected.put("bad/loop_a.jpg", "unreadable");
    expected.put("bad/loop_b.jpg", "unreadable");
    Files.createSymbolicLink(bad.resolve("dangling.jpg"), bad.resolve("nowhere.jpg"));
    expected.put("bad/dangling.jpg", "unreadable");
    Path sub = Files.createDirectories(dir.resolve("ok"));
    Files.write(sub.resolve("fine.png"), png);
    expected.put("ok/fine.png", FEATURE);
    Files.createSymbolicLink(
        sub.resolve("back_to_top"), dir); // a folder loop: listed once, not forever
    return expected;
  }

  private static void put(
      Map<String, String> expected, Path folder, String name, byte[] bytes, String outcome)
      throws IOException {
    Files.write(folder.resolve(name), bytes);
    expected.put(folder.getFileName() + "/" + name, outcome);
  }

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, format, out)) {
      throw new IOException("no writer for " + format);
    }
    return out.toByteArray();
  }

  /**
   * The JPEG with its frame header (SOF0) claiming another size; the data stay those of the small
   * image.
   */
  private static byte[] jpegWithSize(byte[] jpeg, int width, int height) {
    byte[] copy = jpeg.clone();
    for (int i = 2; i < copy.length - 9; i++) {
      if ((copy[i] & 0xFF) == 0xFF && (copy[i + 1] & 0xFF) == 0xC0) {
        copy[i + 5] = (byte) (height >> 8);
        copy[i + 6] = (byte) height;
        copy[i + 7] = (byte) (width >> 8);
        copy[i + 8] = (byte) width;
        return copy;
      }
    }
    throw new IllegalStateException("no SOF0 marker");
  }

  /**
   * The PNG with its IHDR claiming another size (CRC fixed): a tiny file announcing billions of
   * pixels.
   */
  private static byte[] pngWithSize(byte[] png, int width, int height) {
    byte[] copy = png.clone();
    ByteBuffer.wrap(copy, 16, 8).putInt(width).putInt(height);
    CRC32 crc = new CRC32();
    crc.update(copy, 12, 17); // "IHDR" + 13 bytes of header data
    ByteBuffer.wrap(copy, 29, 4).putInt((int) crc.getValue());
    return copy;
  }

  private static byte[] fourChannelJpeg() throws IOException {
    java.awt.image.WritableRaster raster =
        java.awt.image.Raster.createInterleavedRaster(
            java.awt.image.DataBuffer.TYPE_BYTE, 32, 24, 4, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(raster, null, null), null);
    }
    return out.toByteArray();
  }

  private static byte[] animatedGif() throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      for (String shape : new String[] {"circles", "triangles"}) {
        writer.writeToSequence(
            new IIOImage(SyntheticImages.draw(shape, 60, 40, new Random(1)), null, null), null);
      }
      writer.endWriteSequence();
    }
    return out.toByteArray();
  }

  static byte[] noisePng(int width, int height, Random random) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return encode(image, "png");
  }
}
