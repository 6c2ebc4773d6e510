package dev.tltf.tfref;

import java.util.List;

/**
 * The operations InceptionV3 is made of, as Keras names them, so that {@link
 * InceptionV3Architecture} can say what the network is without saying how an engine computes it.
 * {@code T} is the engine's handle to an activation.
 */
interface LayerBuilder<T> {
  /**
   * Keras' padding modes, spelled as TensorFlow's ops take them: 'same' pads so that the output is
   * ⌈in / stride⌉; 'valid' does not pad.
   */
  enum Padding {
    SAME,
    VALID
  }

  /**
   * Keras' {@code conv2d_bn}: Conv2D without bias ({@code conv2d_N}) →
   * BatchNormalization(scale=False, eps=1e-3) ({@code batch_normalization_N}) → ReLU, where {@code
   * N = layer}.
   */
  T convBn(T input, int layer, int filters, int rows, int cols, int stride, Padding padding);

  /** MaxPooling2D((3, 3), strides=(2, 2)), 'valid'. */
  T maxPool(T input);

  /**
   * AveragePooling2D((3, 3), strides=(1, 1), padding='same'); the padding is not counted in the
   * divisor.
   */
  T averagePool(T input);

  /**
   * Concatenation on the channel axis, in the order given; {@code name} is Keras' layer name, for
   * debugging.
   */
  T concat(String name, List<T> branches);

  /** GlobalAveragePooling2D: the mean over height and width, one value per channel. */
  T globalAveragePool(T input);
}
