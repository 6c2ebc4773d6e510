package dev.tltf.features.image;

import java.util.Locale;

/**
 * How an image is brought to the network's square input size (aspect ratio is not kept, as in
 * Keras).
 *
 * <ul>
 *   <li>{@link #BILINEAR} (default): TensorFlow's {@code tf.image.resize(method='bilinear',
 *       antialias=False)} — half-pixel centres, source coordinate {@code (x + 0.5) · in/out − 0.5},
 *       the two nearest rows and columns weighted linearly, edges clamped; the result is not
 *       rounded to 8 bits.
 *   <li>{@link #NEAREST}: what Keras' {@code load_img} does by default (PIL {@code Image.NEAREST})
 *       — source pixel {@code floor((x + 0.5) · in/out)} as Pillow accumulates it in floating
 *       point, which at exact ties can take the pixel before (see {@link PillowNearest}).
 * </ul>
 */
public enum ResizeMethod {
  BILINEAR,
  NEAREST;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
