package dev.tltf.train.audit;

/**
 * The fold of an image for out-of-fold probabilities, from its image_id like the stable split but
 * from other hex digits (9–16; the split uses 1–8), so folds are independent of the split and every
 * run agrees on them.
 */
public final class Folds {
  private Folds() {}

  public static int of(String imageId, int folds) {
    return (int) (Long.parseLong(imageId.substring(8, 16), 16) % folds);
  }
}
