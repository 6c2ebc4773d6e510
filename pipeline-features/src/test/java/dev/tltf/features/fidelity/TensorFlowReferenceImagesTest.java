package dev.tltf.features.fidelity;

import static dev.tltf.features.fidelity.FeatureComparison.cosineSimilarity;
import static dev.tltf.features.fidelity.FeatureComparison.maxRelativeDifference;
import static dev.tltf.features.fidelity.SeededInceptionV3.SIZE;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.image.ImageDecoder;
import dev.tltf.features.image.Preprocessor;
import dev.tltf.features.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path from image files — our {@link ImageDecoder} → {@link Preprocessor} (299 px,
 * bilinear) → DL4J backbone — against TensorFlow decoding ({@code decode_image}, channels=3),
 * resizing ({@code tf.image.resize}, bilinear, no antialiasing) and scaling the same files for its
 * own InceptionV3 (module tf-reference). Files: synthetic pictures as JPEG (ImageIO's default
 * quality, 4:2:0 chroma) and PNG, a greyscale PNG and JPEG, and a JPEG with an Adobe RGB (1998) and
 * a PNG with a Display P3 ICC profile (which TensorFlow ignores; applying the Adobe RGB profile, as
 * this decoder once did, gave 1 − cos = 1.1e-3 and failed); none is square, so each axis is resized
 * by its own ratio.
 *
 * <p>Bounds, from measurements with this test's seeded weights (1 − cosine per file):
 *
 * <ul>
 *   <li><b>PNG</b>: PNG decoding is lossless, so both sides see the same bytes, and our bilinear
 *       resize is TensorFlow's arithmetic; measured 1 − cos = 5e-14 to 7e-14 and max relative
 *       difference 3.3e-7 to 4.2e-7, float noise as in {@link TensorFlowReferenceTensorTest}.
 *       Required: cos ≥ 1 − 1e-9 and max relative difference ≤ 1e-4. Changing every pixel by ±1 LSB
 *       already gives a max relative difference of 7e-4 to 6e-3, so any difference in decoding,
 *       resizing or scaling fails.
 *   <li><b>JPEG</b>: TensorFlow decodes with libjpeg-turbo, we with the JDK's decoder; IDCT
 *       rounding and chroma upsampling make their pixels differ by 1–2 LSB. Measured 1 − cos =
 *       0.9e-6 (grey) to 2.9e-6, the same as adding uniform ±1 LSB noise to every pixel of our
 *       decoded image (0.2e-6 to 4.5e-6) or ±2 LSB (0.6e-6 to 7.1e-6). Required: cos ≥ 1 − 2e-5,
 *       seven times the measured gap and about three times ±2 LSB everywhere. Swapping red and blue
 *       gives 2.5e-4 to 4.4e-3 and fails. With these random weights the features are not very
 *       sensitive to small changes of the input (nearest-neighbour instead of bilinear resizing
 *       gives 1e-5 to 2.2e-4, a one-pixel shift 4e-6 to 1.2e-5), so this bound checks the JPEG
 *       decoder only; resizing and scaling are held exactly by the PNG files.
 * </ul>
 */
class TensorFlowReferenceImagesTest {
  static final double PNG_COSINE = 1 - 1e-9;
  static final double PNG_RELATIVE_DIFFERENCE = 1e-4;
  static final double JPEG_COSINE = 1 - 2e-5;

  @TempDir static Path dir;
  static List<Path> files;

  /** TensorFlow's features of {@link #files}, in order. */
  static float[][] reference;

  @BeforeAll
  static void computeReference() throws IOException {
    Path images = dir.resolve("images");
    SyntheticImages.write(images, 2, 23, 150, 420);
    BufferedImage grey = greyGradient(341, 227);
    files =
        List.of(
            images.resolve("circles/circles_000.jpg"),
            images.resolve("stripes/stripes_000.jpg"),
            images.resolve("squares/squares_001.png"),
            images.resolve("triangles/triangles_001.png"),
            write(grey, "png", dir.resolve("grey.png")),
            write(grey, "jpeg", dir.resolve("grey.jpg")),
            copyResource("adobe-rgb-1998.jpg"),
            copyResource("display-p3.png"));
    reference = TfReference.built(dir).images(SeededInceptionV3.weights(), SIZE, files);
  }

  @Test
  void ourDecodingResizingAndBackboneMatchTensorFlowPerFormat() throws Exception {
    Backbone backbone = SeededInceptionV3.backbone();
    Preprocessor preprocessor = backbone.spec().preprocessor();
    ImageDecoder decoder = new ImageDecoder(1 << 30, 1L << 30, Duration.ofMinutes(1));
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      RgbImage image = decoder.decode(Files.readAllBytes(file));
      assertNotEquals(
          image.width(), image.height(), file + " is square; it should test two resize ratios");
      float[] features = backbone.features(preprocessor.toInput(image), 1)[0];
      double cosine = cosineSimilarity(features, reference[i]);
      double relative = maxRelativeDifference(features, reference[i]);
      System.out.printf(
          "DL4J vs TF, %s (%d×%d): cosine similarity %.10f (1 − cos = %.3g), max relative "
              + "difference %.3g%n",
          file.getFileName(), image.width(), image.height(), cosine, 1 - cosine, relative);
      String what =
          file.getFileName()
              + " ("
              + image.width()
              + "×"
              + image.height()
              + "): cosine similarity "
              + cosine
              + ", max relative difference "
              + relative;
      if (file.toString().endsWith(".png")) {
        assertTrue(cosine >= PNG_COSINE, what + "; PNG needs cosine ≥ " + PNG_COSINE);
        assertTrue(
            relative <= PNG_RELATIVE_DIFFERENCE,
            what + "; PNG needs max relative difference ≤ " + PNG_RELATIVE_DIFFERENCE);
      } else {
        assertTrue(cosine >= JPEG_COSINE, what + "; JPEG needs cosine ≥ " + JPEG_COSINE);
      }
    }
  }

  /** One 8-bit channel: a diagonal gradient with noise, so that neighbouring pixels differ. */
  private static BufferedImage greyGradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Random random = new Random(3);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int value = (x + y) * 255 / (width + height) + random.nextInt(31) - 15;
        image.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, value)));
      }
    }
    return image;
  }

  /**
   * A colour-profile fixture of ImageDecoder's tests: TensorFlow ignores the profile, so must we.
   */
  private static Path copyResource(String name) throws IOException {
    Path file = dir.resolve(name);
    try (java.io.InputStream in = ImageDecoder.class.getResourceAsStream("colour/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  private static Path write(BufferedImage image, String format, Path file) throws IOException {
    assertTrue(ImageIO.write(image, format, file.toFile()), "no ImageIO writer for " + format);
    return file;
  }
}
