package dev.tltf.tfref;

import static dev.tltf.tfref.LayerBuilder.Padding.SAME;
import static dev.tltf.tfref.LayerBuilder.Padding.VALID;

import java.util.List;

/**
 * InceptionV3 up to {@code avg_pool} ({@code include_top=False, pooling='avg'}), transcribed from
 * Keras' {@code keras/applications/inception_v3.py} and nothing else: in particular not from the
 * DL4J graph this reference checks. Each {@code conv2d_bn} call gets the next layer number, because
 * Keras names layer N after the N-th Conv2D and BatchNormalization it creates, and that is how the
 * weight file names them.
 */
final class InceptionV3Architecture<T> {
  /** {@code conv2d_1 … conv2d_94}, each with its {@code batch_normalization_N}. */
  static final int CONV_LAYERS = 94;

  static final int FEATURES = 2048;

  private final LayerBuilder<T> layers;
  private int created;

  private InceptionV3Architecture(LayerBuilder<T> layers) {
    this.layers = layers;
  }

  /** The {@code avg_pool} output for {@code image}, an RGB input of at least 75×75 pixels. */
  static <T> T build(LayerBuilder<T> layers, T image) {
    InceptionV3Architecture<T> network = new InceptionV3Architecture<>(layers);
    T features = network.avgPool(image);
    if (network.created != CONV_LAYERS) {
      throw new IllegalStateException(
          "InceptionV3 has "
              + CONV_LAYERS
              + " conv2d_bn layers, this encoding made "
              + network.created);
    }
    return features;
  }

  private T avgPool(T image) {
    T x = stem(image);
    x = mixed0to2(x, 32, "mixed0");
    x = mixed0to2(x, 64, "mixed1");
    x = mixed0to2(x, 64, "mixed2");
    x = mixed3(x);
    x = mixed4to7(x, 128, "mixed4");
    x = mixed4to7(x, 160, "mixed5");
    x = mixed4to7(x, 160, "mixed6");
    x = mixed4to7(x, 192, "mixed7");
    x = mixed8(x);
    x = mixed9to10(x, 0);
    x = mixed9to10(x, 1);
    return layers.globalAveragePool(x);
  }

  /** 299×299×3 → 35×35×192. */
  private T stem(T x) {
    x = convBn(x, 32, 3, 3, 2, VALID);
    x = convBn(x, 32, 3, 3, 1, VALID);
    x = convBn(x, 64, 3, 3, 1, SAME);
    x = layers.maxPool(x);
    x = convBn(x, 80, 1, 1, 1, VALID);
    x = convBn(x, 192, 3, 3, 1, VALID);
    return layers.maxPool(x);
  }

  /**
   * 35×35: branch1x1 | branch5x5 | branch3x3dbl | branch_pool (its 1×1 has {@code poolFilters}
   * filters).
   */
  private T mixed0to2(T x, int poolFilters, String name) {
    T branch1x1 = convBn(x, 64, 1, 1);

    T branch5x5 = convBn(x, 48, 1, 1);
    branch5x5 = convBn(branch5x5, 64, 5, 5);

    T branch3x3dbl = convBn(x, 64, 1, 1);
    branch3x3dbl = convBn(branch3x3dbl, 96, 3, 3);
    branch3x3dbl = convBn(branch3x3dbl, 96, 3, 3);

    T branchPool = layers.averagePool(x);
    branchPool = convBn(branchPool, poolFilters, 1, 1);
    return layers.concat(name, List.of(branch1x1, branch5x5, branch3x3dbl, branchPool));
  }

  /** 35×35 → 17×17×768. */
  private T mixed3(T x) {
    T branch3x3 = convBn(x, 384, 3, 3, 2, VALID);

    T branch3x3dbl = convBn(x, 64, 1, 1);
    branch3x3dbl = convBn(branch3x3dbl, 96, 3, 3);
    branch3x3dbl = convBn(branch3x3dbl, 96, 3, 3, 2, VALID);

    T branchPool = layers.maxPool(x);
    return layers.concat("mixed3", List.of(branch3x3, branch3x3dbl, branchPool));
  }

  /** 17×17×768, factorised 7×7 convolutions with {@code c} inner filters. */
  private T mixed4to7(T x, int c, String name) {
    T branch1x1 = convBn(x, 192, 1, 1);

    T branch7x7 = convBn(x, c, 1, 1);
    branch7x7 = convBn(branch7x7, c, 1, 7);
    branch7x7 = convBn(branch7x7, 192, 7, 1);

    T branch7x7dbl = convBn(x, c, 1, 1);
    branch7x7dbl = convBn(branch7x7dbl, c, 7, 1);
    branch7x7dbl = convBn(branch7x7dbl, c, 1, 7);
    branch7x7dbl = convBn(branch7x7dbl, c, 7, 1);
    branch7x7dbl = convBn(branch7x7dbl, 192, 1, 7);

    T branchPool = layers.averagePool(x);
    branchPool = convBn(branchPool, 192, 1, 1);
    return layers.concat(name, List.of(branch1x1, branch7x7, branch7x7dbl, branchPool));
  }

  /** 17×17 → 8×8×1280. */
  private T mixed8(T x) {
    T branch3x3 = convBn(x, 192, 1, 1);
    branch3x3 = convBn(branch3x3, 320, 3, 3, 2, VALID);

    T branch7x7x3 = convBn(x, 192, 1, 1);
    branch7x7x3 = convBn(branch7x7x3, 192, 1, 7);
    branch7x7x3 = convBn(branch7x7x3, 192, 7, 1);
    branch7x7x3 = convBn(branch7x7x3, 192, 3, 3, 2, VALID);

    T branchPool = layers.maxPool(x);
    return layers.concat("mixed8", List.of(branch3x3, branch7x7x3, branchPool));
  }

  /** 8×8×2048, with the 1×3 ‖ 3×1 splits; {@code i} = 0 for mixed9, 1 for mixed10. */
  private T mixed9to10(T x, int i) {
    T branch1x1 = convBn(x, 320, 1, 1);

    T branch3x3 = convBn(x, 384, 1, 1);
    T branch3x3a = convBn(branch3x3, 384, 1, 3);
    T branch3x3b = convBn(branch3x3, 384, 3, 1);
    branch3x3 = layers.concat("mixed9_" + i, List.of(branch3x3a, branch3x3b));

    T branch3x3dbl = convBn(x, 448, 1, 1);
    branch3x3dbl = convBn(branch3x3dbl, 384, 3, 3);
    T branch3x3dblA = convBn(branch3x3dbl, 384, 1, 3);
    T branch3x3dblB = convBn(branch3x3dbl, 384, 3, 1);
    branch3x3dbl = layers.concat("concatenate_" + (i + 1), List.of(branch3x3dblA, branch3x3dblB));

    T branchPool = layers.averagePool(x);
    branchPool = convBn(branchPool, 192, 1, 1);
    return layers.concat(
        "mixed" + (9 + i), List.of(branch1x1, branch3x3, branch3x3dbl, branchPool));
  }

  /** Keras' default: stride 1, 'same'. */
  private T convBn(T x, int filters, int rows, int cols) {
    return convBn(x, filters, rows, cols, 1, SAME);
  }

  private T convBn(T x, int filters, int rows, int cols, int stride, LayerBuilder.Padding padding) {
    return layers.convBn(x, ++created, filters, rows, cols, stride, padding);
  }
}
