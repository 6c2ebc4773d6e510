package dev.tltf.features.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.features.image.ImageDecoder;
import dev.tltf.features.image.Preprocessor;
import dev.tltf.features.image.ResizeMethod;
import dev.tltf.features.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --resize bilinear} (the default) against TensorFlow's own {@code tf.image.resize(bilinear,
 * antialias=False)}, run by the reference module ({@code pixels} mode), for a spread of input
 * sizes: single pixels, single rows and columns, odd sizes, up- and downscaling, aspect changes and
 * the output size itself. The files are PNGs of random pixels, so both sides decode the same
 * samples and any difference is the resize's. TensorFlow's resized values are scaled here with our
 * {@code x / 127.5 − 1} (exact division, as NumPy does for Keras' {@code preprocess_input});
 * TensorFlow's own graph divides by multiplying with {@code 1 / 127.5}, one float step away for 111
 * of the 256 values, which would hide whether the resize itself agrees. Required: bit-equal.
 */
class TensorFlowBilinearResizeTest {
  /** Width × height of the inputs. */
  static final int[][] SIZES = {
    {1, 1},
    {1, 9},
    {7, 1},
    {2, 3},
    {5, 8},
    {37, 23},
    {74, 75},
    {76, 300},
    {150, 100},
    {298, 301},
    {299, 299},
    {300, 200},
    {331, 17},
    {480, 640},
    {640, 480},
    {1023, 767},
    {2001, 1499}
  };

  @TempDir static Path dir;
  static List<Path> files = new ArrayList<>();

  @BeforeAll
  static void writeImages() throws IOException {
    Random random = new Random(29);
    for (int[] size : SIZES) {
      BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < size[1]; y++) {
        for (int x = 0; x < size[0]; x++) {
          image.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      Path file = dir.resolve("random-" + size[0] + "x" + size[1] + ".png");
      assertTrue(ImageIO.write(image, "png", file.toFile()));
      files.add(file);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {299, 75})
  void ourBilinearResizeIsTensorFlows(int outSize) throws Exception {
    float[][] reference = TfReference.built(dir).pixels(outSize, files);
    ImageDecoder decoder = new ImageDecoder(1 << 30, 1L << 30, Duration.ofMinutes(1));
    Preprocessor preprocessor = new Preprocessor(outSize, ResizeMethod.BILINEAR);
    List<String> wrong = new ArrayList<>();
    double worst = 0;
    for (int i = 0; i < files.size(); i++) {
      RgbImage image = decoder.decode(Files.readAllBytes(files.get(i)));
      float[] ours = preprocessor.toInput(image); // CHW
      float[] theirs = reference[i]; // HWC
      double max = 0;
      int plane = outSize * outSize;
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < 3; c++) {
          max = Math.max(max, Math.abs(ours[c * plane + p] - (theirs[p * 3 + c] / 127.5f - 1f)));
        }
      }
      worst = Math.max(worst, max);
      System.out.printf(
          "bilinear %d×%d → %d: max |ours − TensorFlow| = %.3g%n",
          image.width(), image.height(), outSize, max);
      if (max > 0) {
        wrong.add(image.width() + "×" + image.height() + " (max difference " + max + ")");
      }
    }
    assertEquals(
        List.of(),
        wrong,
        "inputs resized to " + outSize + " differently from TensorFlow; worst " + worst);
  }
}
