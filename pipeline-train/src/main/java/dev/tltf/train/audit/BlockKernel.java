package dev.tltf.train.audit;

import dev.tltf.common.NativeSetup;
import dev.tltf.train.labels.Labeling;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares every image of one block with every image of another: one ND4J matrix product of the two
 * blocks of unit vectors gives all their cosines at once (the GEMM is where the time goes: N² · D
 * multiply-adds for a store), and one pass over the product offers each pair to both images' {@link
 * NeighbourTable}s. A block against itself skips the diagonal and uses each pair once.
 */
public final class BlockKernel {
  static {
    NativeSetup.ensure();
  }

  private BlockKernel() {}

  /**
   * Offers every pair (a row of {@code a}, a row of {@code b}) to {@code forA} (rows of {@code a})
   * and {@code forB} (rows of {@code b}); the same table twice when {@code a} is {@code b}. {@code
   * labels} are by global image index.
   */
  public static void compare(
      Block a, Block b, int[] labels, NeighbourTable forA, NeighbourTable forB) {
    scan(a, b, FloatBuffer.wrap(products(a, b)), labels, forA, forB);
  }

  /** {@link #compare}, with the product computed into {@code buffers} (kept between calls). */
  static void compare(
      BlockProducts buffers,
      Block a,
      Block b,
      int[] labels,
      NeighbourTable forA,
      NeighbourTable forB) {
    scan(a, b, buffers.of(a, b), labels, forA, forB);
  }

  private static void scan(
      Block a,
      Block b,
      FloatBuffer products,
      int[] labels,
      NeighbourTable forA,
      NeighbourTable forB) {
    boolean self = a.offset() == b.offset();
    int columns = b.rows();
    for (int r = 0; r < a.rows(); r++) {
      int image = a.offset() + r;
      int label = labels[image];
      float rowBar = forA.bar(image);
      float rowSameBar = forA.sameClassBar(image);
      int base = r * columns;
      for (int c = self ? r + 1 : 0; c < columns; c++) {
        float value = products.get(base + c);
        int other = b.offset() + c;
        boolean same = label != Labeling.NONE && labels[other] == label;
        if (value > rowBar || (same && value > rowSameBar)) {
          forA.offer(image, other, value, same);
          rowBar = forA.bar(image);
          rowSameBar = forA.sameClassBar(image);
        }
        if (value > forB.bar(other) || (same && value > forB.sameClassBar(other))) {
          forB.offer(other, image, value, same); // never this row's own bars: other ≠ image
        }
      }
    }
  }

  /** {@code a · bᵀ}, row-major, {@code a.rows() × b.rows()}. */
  static float[] products(Block a, Block b) {
    try (INDArray x = Nd4j.create(a.values(), new long[] {a.rows(), a.dimension()}, 'c');
        INDArray y = Nd4j.create(b.values(), new long[] {b.rows(), b.dimension()}, 'c');
        INDArray product = x.mmul(y.transpose(), 'c')) {
      return product.data().asFloat();
    }
  }
}
