package dev.tltf.common.thumbnail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailsTest {
  @TempDir Path dir;

  private static BufferedImage decode(String uri) throws Exception {
    String base64 = uri.substring(uri.indexOf(',') + 1);
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
  }

  private static String svgText(String uri) {
    return new String(
        Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)), StandardCharsets.UTF_8);
  }

  @Test
  void shrinksToFitKeepingTheAspectRatio() throws Exception {
    BufferedImage image = new BufferedImage(600, 400, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 400; y++) {
      for (int x = 0; x < 600; x++) {
        image.setRGB(x, y, x < 300 ? 0xff0000 : 0x0000ff);
      }
    }
    Files.createDirectories(dir.resolve("cats"));
    ImageIO.write(image, "png", dir.resolve("cats/a.png").toFile());
    String uri = new Thumbnails(dir.toString(), new Configuration()).dataUri("cats/a.png");
    assertTrue(uri.startsWith("data:image/jpeg;base64,"), uri);
    BufferedImage thumbnail = decode(uri);
    assertEquals(96, thumbnail.getWidth());
    assertEquals(64, thumbnail.getHeight());
    int left = thumbnail.getRGB(10, 32);
    assertTrue(((left >> 16) & 0xff) > 200 && (left & 0xff) < 60, Integer.toHexString(left));
  }

  @Test
  void smallImagesAreNotEnlarged() throws Exception {
    ImageIO.write(
        new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB),
        "bmp",
        dir.resolve("tiny.bmp").toFile());
    BufferedImage thumbnail =
        decode(new Thumbnails(dir.toString(), new Configuration()).dataUri("tiny.bmp"));
    assertEquals(20, thumbnail.getWidth());
    assertEquals(10, thumbnail.getHeight());
  }

  @Test
  void missingOrUndecodableOriginalsGivePlaceholders() throws Exception {
    Files.writeString(dir.resolve("fake.jpg"), "<html>not an image</html>");
    Thumbnails thumbnails = new Thumbnails(dir.toString(), new Configuration());
    String missing = thumbnails.dataUri("nowhere/x.jpg");
    assertTrue(missing.startsWith("data:image/svg+xml;base64,"), missing);
    assertTrue(svgText(missing).contains("missing"), svgText(missing));
    assertTrue(svgText(thumbnails.dataUri("fake.jpg")).contains("not decodable"));
    assertTrue(
        svgText(new Thumbnails(null, new Configuration()).dataUri("a.jpg"))
            .contains("no image root"));
  }
}
