package dev.tltf.features.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Embedded colour profiles are never applied: each file decodes to exactly the pixels of the same
 * picture saved without a profile, as Pillow's {@code convert('RGB')} and {@code
 * tf.io.decode_image} give them. Fixtures in {@code colour/} (made by {@code make_profiles.py},
 * {@code make_images.py} and {@code MakeFourChannelJpegs.java}): a 48 × 32 picture with an Adobe
 * RGB (1998), a Display P3 and an extreme profile (red and blue swapped, gamma 0.45), each of which
 * changes samples by 100 to 255 when applied.
 */
class ColourProfileTest {
  private final ImageDecoder decoder =
      new ImageDecoder(10_000_000, 10_000_000, Duration.ofMinutes(1));

  @ParameterizedTest
  @CsvSource({
    "adobe-rgb-1998.jpg, plain.jpg",
    "display-p3.jpg, plain.jpg",
    "extreme.jpg, plain.jpg",
    "adobe-rgb-1998-adobe.jpg, plain.jpg",
    "adobe-rgb-1998.png, plain.png",
    "display-p3.png, plain.png",
    "extreme.png, plain.png",
    "chunks.png, plain.png",
    "adobe-rgb-1998.webp, plain.webp",
    "display-p3.webp, plain.webp",
    "extreme.webp, plain.webp",
    "adobe-rgb-1998-lossy.webp, plain-lossy.webp",
    "display-p3-lossy.webp, plain-lossy.webp",
    "extreme-lossy.webp, plain-lossy.webp",
    "adobe-rgb-1998.tif, plain.tif",
    "display-p3.tif, plain.tif",
    "extreme.tif, plain.tif"
  })
  void aProfileChangesNoSample(String withProfile, String withoutProfile) throws Exception {
    RgbImage ours = decode(withProfile);
    RgbImage plain = decode(withoutProfile);
    assertEquals(48, ours.width());
    assertEquals(32, ours.height());
    assertEquals(
        0,
        maxDifference(ours, plain),
        withProfile
            + " decodes differently from "
            + withoutProfile
            + ": its colour profile was applied");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"plain.webp", "plain.tif", "adobe-rgb-1998.png", "extreme.webp", "display-p3.tif"})
  void losslessFilesGiveThePicturesOwnSamples(String file) throws Exception {
    // plain.png holds the picture exactly; Pillow gives the same samples for every lossless file
    // (make_images.py).
    assertArrayEquals(decode("plain.png").pixels(), decode(file).pixels(), file);
  }

  @Test
  void strippingTheIccSegmentGivesTheJpegPillowWroteWithoutAProfile() throws Exception {
    byte[] profiled = resource("display-p3.jpg");
    JpegHeader header = JpegHeader.parse(profiled);
    assertEquals(3, header.components());
    assertEquals(JpegHeader.NO_ADOBE_SEGMENT, header.adobeTransform());
    assertEquals(1, header.iccSegments().size());
    assertArrayEquals(resource("plain.jpg"), header.withoutIccProfile(profiled));

    JpegHeader adobe = JpegHeader.parse(resource("adobe-rgb-1998-adobe.jpg"));
    assertEquals(1, adobe.adobeTransform());
    assertEquals(1, adobe.iccSegments().size());
    assertEquals(4, JpegHeader.parse(resource("ycck.jpg")).components());
    assertTrue(JpegHeader.parse(resource("ycck.jpg")).isYcck());
    assertEquals(false, JpegHeader.parse(resource("four-channel.jpg")).isYcck());
  }

  @Test
  void aProfileSplitOverSeveralSegmentsIsDroppedWhole() throws Exception {
    // display-p3.jpg's profile in one APP2 segment, rewritten as two chunks (1 of 2, 2 of 2) as
    // large profiles are.
    byte[] jpeg = resource("display-p3.jpg");
    int[] segment = JpegHeader.parse(jpeg).iccSegments().get(0);
    int data = segment[0] + 4 + 14; // marker, length, "ICC_PROFILE\0", chunk number, chunk count
    int half = (segment[1] - data) / 2;
    java.io.ByteArrayOutputStream split = new java.io.ByteArrayOutputStream();
    split.write(jpeg, 0, segment[0]);
    writeIccChunk(split, jpeg, data, half, 1);
    writeIccChunk(split, jpeg, data + half, segment[1] - data - half, 2);
    split.write(jpeg, segment[1], jpeg.length - segment[1]);
    byte[] twoChunks = split.toByteArray();

    assertEquals(2, JpegHeader.parse(twoChunks).iccSegments().size());
    assertArrayEquals(
        resource("plain.jpg"), JpegHeader.parse(twoChunks).withoutIccProfile(twoChunks));
    assertEquals(0, maxDifference(decoder.decode(twoChunks), decode("plain.jpg")));
  }

  private static void writeIccChunk(
      java.io.ByteArrayOutputStream out, byte[] source, int from, int length, int number)
      throws IOException {
    int segmentLength = 2 + 14 + length;
    out.write(
        new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (segmentLength >> 8), (byte) segmentLength});
    out.write("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write(new byte[] {(byte) number, 2});
    out.write(source, from, length);
  }

  /**
   * CMYK as Pillow converts it: no profile, {@code R = (255 − K) − C · (255 − K) / 255} rounded.
   * JPEGs with an Adobe segment (inverted CMYK, or YCCK) and without one (libjpeg takes plain
   * inverted CMYK), and a TIFF.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cmyk.jpg", "ycck.jpg", "four-channel.jpg", "cmyk.tif"})
  void cmykBecomesRgbExactlyAsInPillow(String file) throws Exception {
    RgbImage pillow = decode(file.replace(".", "-") + "-pillow.png");
    assertEquals(
        0, maxDifference(decode(file), pillow), file + " differs from Pillow's convert('RGB')");
  }

  @Test
  void pillowsCmykFormula() {
    byte[] rgb = new byte[3];
    CmykToRgb.convert(100, 50, 0, 100, rgb, 0);
    assertArrayEquals(new byte[] {94, 125, (byte) 155}, rgb); // Pillow 9.4: (94, 125, 155)
    CmykToRgb.convert(10, 20, 30, 40, rgb, 0);
    assertArrayEquals(new byte[] {(byte) 207, (byte) 198, (byte) 190}, rgb);
  }

  private RgbImage decode(String name) throws Exception {
    return decoder.decode(resource(name));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ColourProfileTest.class.getResourceAsStream("colour/" + name)) {
      assertTrue(in != null, "missing test resource colour/" + name);
      return in.readAllBytes();
    }
  }

  private static int maxDifference(RgbImage a, RgbImage b) {
    assertEquals(a.width(), b.width());
    assertEquals(a.height(), b.height());
    int max = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      max = Math.max(max, Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF)));
    }
    return max;
  }
}
