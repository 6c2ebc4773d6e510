package dev.tltf.tfref;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The architecture alone, without TensorFlow: walked with a builder that only tracks shapes, it
 * must give Keras' block sizes and exactly the 21,802,784 numbers of the official notop file
 * (docs/DESIGN.md).
 */
class InceptionV3ArchitectureTest {
  /** Height, width and channels of one activation. */
  record Activation(long height, long width, long channels) {}

  /**
   * Computes output shapes with Keras' padding rules and counts the weights each layer would read.
   */
  static final class ShapeOnlyLayers implements LayerBuilder<Activation> {
    final Map<String, Activation> concats = new LinkedHashMap<>();
    long weights;
    int lastLayer;

    @Override
    public Activation convBn(
        Activation x, int layer, int filters, int rows, int cols, int stride, Padding padding) {
      assertEquals(lastLayer + 1, layer, "layers are numbered in creation order");
      lastLayer = layer;
      weights +=
          (long) rows * cols * x.channels() * filters
              + 3L * filters; // kernel + beta, mean, variance
      return new Activation(
          size(x.height(), rows, stride, padding), size(x.width(), cols, stride, padding), filters);
    }

    @Override
    public Activation maxPool(Activation x) {
      return new Activation(
          size(x.height(), 3, 2, Padding.VALID),
          size(x.width(), 3, 2, Padding.VALID),
          x.channels());
    }

    @Override
    public Activation averagePool(Activation x) {
      return x;
    }

    @Override
    public Activation concat(String name, List<Activation> branches) {
      long channels = 0;
      for (Activation branch : branches) {
        assertEquals(
            branches.get(0).height(), branch.height(), name + " concatenates different heights");
        assertEquals(
            branches.get(0).width(), branch.width(), name + " concatenates different widths");
        channels += branch.channels();
      }
      Activation result =
          new Activation(branches.get(0).height(), branches.get(0).width(), channels);
      concats.put(name, result);
      return result;
    }

    @Override
    public Activation globalAveragePool(Activation x) {
      return new Activation(1, 1, x.channels());
    }

    private static long size(long in, int kernel, int stride, Padding padding) {
      return padding == Padding.SAME ? (in + stride - 1) / stride : (in - kernel) / stride + 1;
    }
  }

  @Test
  void givesKerasBlockShapesAndTheNotopFilesWeightCount() {
    ShapeOnlyLayers layers = new ShapeOnlyLayers();
    Activation features = InceptionV3Architecture.build(layers, new Activation(299, 299, 3));

    assertEquals(new Activation(1, 1, 2048), features);
    assertEquals(94, layers.lastLayer);
    assertEquals(21_802_784L, layers.weights);
    assertEquals(new Activation(35, 35, 256), layers.concats.get("mixed0"));
    assertEquals(new Activation(35, 35, 288), layers.concats.get("mixed2"));
    assertEquals(new Activation(17, 17, 768), layers.concats.get("mixed3"));
    assertEquals(new Activation(17, 17, 768), layers.concats.get("mixed7"));
    assertEquals(new Activation(8, 8, 1280), layers.concats.get("mixed8"));
    assertEquals(new Activation(8, 8, 768), layers.concats.get("mixed9_0"));
    assertEquals(new Activation(8, 8, 2048), layers.concats.get("mixed9"));
    assertEquals(new Activation(8, 8, 2048), layers.concats.get("mixed10"));
  }

  @Test
  void theSmallestInputKerasAcceptsKeepsAPixelEverywhere() {
    ShapeOnlyLayers layers = new ShapeOnlyLayers();
    InceptionV3Architecture.build(
        layers, new Activation(ReferenceArguments.MIN_SIZE, ReferenceArguments.MIN_SIZE, 3));
    assertEquals(new Activation(1, 1, 2048), layers.concats.get("mixed10"));
  }
}
