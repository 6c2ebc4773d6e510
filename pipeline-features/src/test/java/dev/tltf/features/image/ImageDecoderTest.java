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
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
  private final ImageDecoder decoder = new ImageDecoder(10_000_000, 10_000_000);

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
    assertArrayEquals(new byte[] {0x10, 0x20, 0x30, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD}, rgb.pixels());
  }

  @Test
  void greyIsReplicatedWithoutGammaConversion() throws Exception {
    BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
    RgbImage rgb = decoder.decode(encode(image, "png"));
    assertArrayEquals(new byte[] {0, 0, 0, 100, 100, 100, (byte) 255, (byte) 255, (byte) 255}, rgb.pixels());
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
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    image.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {1, 0});
    RgbImage rgb = decoder.decode(encode(image, "gif"));
    assertArrayEquals(new byte[] {(byte) 200, 10, 20, 0, 0, 0}, rgb.pixels());
  }

  @Test
  void jpegBmpTiffAndWebpAreReadable() throws Exception {
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
  void badInputsAreRejectedWithTheirClass() throws Exception {
    assertEquals(ErrorClass.EMPTY_FILE, assertThrows(ImageRejectedException.class,
        () -> decoder.decode(new byte[0])).errorClass());
    assertEquals(ErrorClass.UNSUPPORTED_FORMAT, assertThrows(ImageRejectedException.class,
        () -> decoder.decode("<html>not an image</html>".getBytes(StandardCharsets.UTF_8))).errorClass());
    byte[] png = encode(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png");
    assertEquals(ErrorClass.CORRUPT_IMAGE, assertThrows(ImageRejectedException.class,
        () -> decoder.decode(Arrays.copyOf(png, png.length / 2))).errorClass());
    ImageDecoder small = new ImageDecoder(10_000_000, 100);
    ImageRejectedException tooBig = assertThrows(ImageRejectedException.class, () -> small.decode(png));
    assertEquals(ErrorClass.TOO_MANY_PIXELS, tooBig.errorClass());
    assertEquals("The PNG is 64 x 64 pixels, more than the limit of 100 pixels.", tooBig.getMessage());
  }
}
