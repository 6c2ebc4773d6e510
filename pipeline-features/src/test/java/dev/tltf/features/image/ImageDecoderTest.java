package dev.tltf.features.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
  private final ImageDecoder decoder =
      new ImageDecoder(10_000_000, 10_000_000, Duration.ofMinutes(1));

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
    return out.toByteArray();
  }

  @Test
  void rgbPngKeepsExactSamples() throws Exception {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0x102030);
    image.setRGB(1, 0, 0xFFFEFD);
    RgbImage rgb = decoder.decode(encode(image, "png"));
    assertEquals(2, rgb.width());
    assertArrayEquals(
        new byte[] {0x10, 0x20, 0x30, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD}, rgb.pixels());
  }

  @Test
  void greyIsReplicatedWithoutGammaConversion() throws Exception {
    BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
    RgbImage rgb = decoder.decode(encode(image, "png"));
    assertArrayEquals(
        new byte[] {0, 0, 0, 100, 100, 100, (byte) 255, (byte) 255, (byte) 255}, rgb.pixels());
  }

  @Test
  void sixteenBitGreyIsScaledTo8Bits() throws Exception {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    image.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {65535, 257 * 100});
    RgbImage rgb = decoder.decode(encode(image, "png"));
    assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, 100, 100, 100}, rgb.pixels());
  }

  @Test
  void alphaIsDroppedNotBlended() throws Exception {
    BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x00C08040); // fully transparent
    RgbImage rgb = decoder.decode(encode(image, "png"));
    assertArrayEquals(new byte[] {(byte) 0xC0, (byte) 0x80, 0x40}, rgb.pixels());
  }

  @Test
  void paletteGifIsLookedUp() throws Exception {
    byte[] r = {0, (byte) 200};
    byte[] g = {0, 10};
    byte[] b = {0, 20};
    BufferedImage image =
        new BufferedImage(
            2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    image.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {1, 0});
    RgbImage rgb = decoder.decode(encode(image, "gif"));
    assertArrayEquals(new byte[] {(byte) 200, 10, 20, 0, 0, 0}, rgb.pixels());
  }

  @Test
  void jpegBmpAndTiffAreReadable() throws Exception {
    BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 16; x++) {
      for (int y = 0; y < 8; y++) {
        image.setRGB(x, y, 0x808080);
      }
    }
    for (String format : new String[] {"jpeg", "bmp", "tiff"}) {
      RgbImage rgb = decoder.decode(encode(image, format));
      assertEquals(16, rgb.width(), format);
      assertEquals(128, rgb.sample(5, 5, 1), 2, format);
    }
  }

  @Test
  void progressiveGreyAndCmykJpegsBecomeRgb() throws Exception {
    BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSamples(0, 0, 8, 8, 0, filled(64, 90));
    RgbImage fromGrey = decoder.decode(encode(grey, "jpeg"));
    assertEquals(90, fromGrey.sample(3, 3, 0), 2);
    assertEquals(fromGrey.sample(3, 3, 0), fromGrey.sample(3, 3, 2));

    BufferedImage colour = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 32 * 32; i++) {
      colour.setRGB(i % 32, i / 32, 0x3366CC);
    }
    ByteArrayOutputStream progressive = new ByteArrayOutputStream();
    javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
    try (javax.imageio.stream.ImageOutputStream out =
        ImageIO.createImageOutputStream(progressive)) {
      writer.setOutput(out);
      writer.write(null, new javax.imageio.IIOImage(colour, null, null), param);
    }
    RgbImage fromProgressive = decoder.decode(progressive.toByteArray());
    assertEquals(0x33, fromProgressive.sample(10, 10, 0), 3);
    assertEquals(0xCC, fromProgressive.sample(10, 10, 2), 3);

    // A four-component JPEG as ImageIO writes it (Adobe marker, YCCK): decoded through the colour
    // model to RGB.
    java.awt.image.WritableRaster ycck =
        java.awt.image.Raster.createInterleavedRaster(
            java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        ycck.setPixel(x, y, new int[] {255, 0, 0, 255});
      }
    }
    ByteArrayOutputStream ycckBytes = new ByteArrayOutputStream();
    javax.imageio.ImageWriter ycckWriter = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(ycckBytes)) {
      ycckWriter.setOutput(out);
      ycckWriter.write(null, new javax.imageio.IIOImage(ycck, null, null), null);
    }
    RgbImage fromYcck = decoder.decode(ycckBytes.toByteArray());
    assertEquals(16, fromYcck.width());
    assertEquals(16 * 16 * 3, fromYcck.pixels().length);
  }

  @Test
  void cmykPixelsAreConvertedByTheirColourModel() {
    java.awt.color.ColorSpace cmyk =
        com.twelvemonkeys.imageio.color.ColorSpaces.getColorSpace(
            com.twelvemonkeys.imageio.color.ColorSpaces.CS_GENERIC_CMYK);
    java.awt.image.ComponentColorModel model =
        new java.awt.image.ComponentColorModel(
            cmyk, false, false, java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_BYTE);
    java.awt.image.WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {0, 255, 255, 0}); // red
    raster.setPixel(1, 0, new int[] {0, 0, 0, 255}); // black
    RgbImage rgb = ImageDecoder.toRgb(new BufferedImage(model, raster, false, null));
    assertTrue(
        rgb.sample(0, 0, 0) > 180 && rgb.sample(0, 0, 1) < 90 && rgb.sample(0, 0, 2) < 90,
        "CMYK red became "
            + rgb.sample(0, 0, 0)
            + ","
            + rgb.sample(0, 0, 1)
            + ","
            + rgb.sample(0, 0, 2));
    assertTrue(rgb.sample(1, 0, 0) < 70 && rgb.sample(1, 0, 1) < 70 && rgb.sample(1, 0, 2) < 70);
  }

  @Test
  void animatedGifGivesItsFirstFrame() throws Exception {
    javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int rgb : new int[] {0xFF0000, 0x0000FF}) {
        BufferedImage frame = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 16; i++) {
          frame.setRGB(i % 4, i / 4, rgb);
        }
        writer.writeToSequence(new javax.imageio.IIOImage(frame, null, null), null);
      }
      writer.endWriteSequence();
    }
    RgbImage first = decoder.decode(bytes.toByteArray());
    assertEquals(255, first.sample(1, 1, 0));
    assertEquals(0, first.sample(1, 1, 2));
  }

  @Test
  void sixteenBitRgbAndPalettePngs() throws Exception {
    java.awt.image.ComponentColorModel model =
        new java.awt.image.ComponentColorModel(
            java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
            false,
            false,
            java.awt.Transparency.OPAQUE,
            java.awt.image.DataBuffer.TYPE_USHORT);
    java.awt.image.WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {65535, 0, 257 * 7});
    raster.setPixel(1, 0, new int[] {257 * 128, 257 * 200, 65535});
    RgbImage deep = decoder.decode(encode(new BufferedImage(model, raster, false, null), "png"));
    assertArrayEquals(
        new byte[] {(byte) 255, 0, 7, (byte) 128, (byte) 200, (byte) 255}, deep.pixels());

    byte[] r = {10, 20, 30, 40};
    byte[] g = {50, 60, 70, 80};
    byte[] b = {90, 100, 110, 120};
    BufferedImage palette =
        new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(2, 4, r, g, b));
    palette.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {3, 1});
    assertArrayEquals(
        new byte[] {40, 80, 120, 20, 60, 100}, decoder.decode(encode(palette, "png")).pixels());
  }

  @Test
  void webpLossyAndLosslessAreReadable() throws Exception {
    for (String base64 :
        new String[] {
          "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA",
          "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="
        }) {
      RgbImage image = decoder.decode(java.util.Base64.getDecoder().decode(base64));
      assertEquals(1, image.width());
      assertEquals(1, image.height());
    }
  }

  private static int[] filled(int n, int value) {
    int[] values = new int[n];
    Arrays.fill(values, value);
    return values;
  }

  @Test
  void badInputsAreRejectedWithTheirClass() throws Exception {
    assertEquals(
        ErrorClass.EMPTY_FILE,
        assertThrows(ImageRejectedException.class, () -> decoder.decode(new byte[0])).errorClass());
    assertEquals(
        ErrorClass.UNSUPPORTED_FORMAT,
        assertThrows(
                ImageRejectedException.class,
                () -> decoder.decode("<html>not an image</html>".getBytes(StandardCharsets.UTF_8)))
            .errorClass());
    byte[] png = encode(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png");
    assertEquals(
        ErrorClass.CORRUPT_IMAGE,
        assertThrows(
                ImageRejectedException.class,
                () -> decoder.decode(Arrays.copyOf(png, png.length / 2)))
            .errorClass());
    ImageDecoder small = new ImageDecoder(10_000_000, 100, Duration.ofMinutes(1));
    ImageRejectedException tooBig =
        assertThrows(ImageRejectedException.class, () -> small.decode(png));
    assertEquals(ErrorClass.TOO_MANY_PIXELS, tooBig.errorClass());
    assertEquals(
        "The PNG is 64 x 64 pixels, more than the limit of 100 pixels.", tooBig.getMessage());
  }
}
