package dev.tltf.features.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The first frame of animated GIFs decodes exactly as Pillow 9.4's {@code
 * Image.open(f).convert('RGB')} gives it (fixtures and Pillow's output made by {@code
 * gif/make_gifs.py}): frames smaller than the screen and offset, with and without a transparency
 * index, with a local palette, reaching past the screen, and one Pillow wrote itself.
 */
class GifFirstFrameTest {
  private final ImageDecoder decoder =
      new ImageDecoder(10_000_000, 10_000_000, Duration.ofMinutes(1));

  @ParameterizedTest
  @ValueSource(strings = {"offset-transparent", "offset-opaque", "beyond-screen", "pillow-written"})
  void firstFrameIsPillows(String name) throws Exception {
    RgbImage ours = decoder.decode(resource(name + ".gif"));
    RgbImage pillow = decoder.decode(resource(name + "-pillow.png"));
    assertEquals(
        pillow.width() + "x" + pillow.height(), ours.width() + "x" + ours.height(), name + " size");
    assertArrayEquals(pillow.pixels(), ours.pixels(), name + " differs from Pillow's first frame");
  }

  @Test
  void theCanvasIsFilledWithTheTransparencyIndexNotTheBackground() throws Exception {
    // offset-transparent.gif: background index 3 (0, 90, 180), transparency index 5 (255, 128, 0).
    RgbImage image = decoder.decode(resource("offset-transparent.gif"));
    assertEquals(255, image.sample(0, 0, 0));
    assertEquals(128, image.sample(0, 0, 1));
    assertEquals(0, image.sample(0, 0, 2));
    // offset-opaque.gif has no transparency: index 0 of frame 0's local palette, (40, 200, 30).
    RgbImage opaque = decoder.decode(resource("offset-opaque.gif"));
    assertArrayEquals(
        new int[] {40, 200, 30},
        new int[] {opaque.sample(23, 15, 0), opaque.sample(23, 15, 1), opaque.sample(23, 15, 2)});
  }

  @Test
  void theLimitOnPixelsCountsTheCanvas() throws Exception {
    // beyond-screen.gif: a 12 x 10 frame on a canvas that grows to 20 x 16 = 320 pixels.
    ImageRejectedException refused =
        assertThrows(
            ImageRejectedException.class,
            () ->
                new ImageDecoder(10_000_000, 300, Duration.ofMinutes(1))
                    .decode(resource("beyond-screen.gif")));
    assertEquals(ErrorClass.TOO_MANY_PIXELS, refused.errorClass());
    assertEquals(
        "The GIF is 20 x 16 pixels, more than the limit of 300 pixels.", refused.getMessage());
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = GifFirstFrameTest.class.getResourceAsStream("gif/" + name)) {
      return in.readAllBytes();
    }
  }
}
