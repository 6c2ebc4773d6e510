package dev.tltf.train.audit;

import dev.tltf.train.snapshot.VectorSpill;
import java.util.Arrays;

/**
 * For a few images (the suspects shown in the report), their nearest images of one given class each
 * (the suggested label), so a reader can judge a suggestion by looking: one product of the few
 * against each block of the store.
 */
public final class ClassNeighbours {
  private ClassNeighbours() {}

  /**
   * The nearest members of each image's given class.
   *
   * @param images image indices (rows of {@code unit})
   * @param classes the class to search for each of {@code images}
   * @return for each image, up to {@code count} image indices of its class, nearest first (never
   *     itself)
   */
  public static int[][] nearest(
      VectorSpill unit, int[] images, int[] classes, int[] labels, int count, int blockRows) {
    int[][] best = new int[images.length][count];
    float[][] bestSimilarity = new float[images.length][count];
    for (int[] row : best) {
      Arrays.fill(row, -1);
    }
    for (float[] row : bestSimilarity) {
      Arrays.fill(row, Float.NEGATIVE_INFINITY);
    }
    if (images.length == 0) {
      return best;
    }
    float[] query = new float[images.length * unit.dimension()];
    unit.read(images, images.length, query);
    Block queries = new Block(-1, images.length, unit.dimension(), query);
    for (int start = 0; start < unit.size(); start += blockRows) {
      Block block = NeighbourSearch.block(unit, start, Math.min(blockRows, unit.size() - start));
      float[] products = BlockKernel.products(queries, block);
      for (int q = 0; q < images.length; q++) {
        for (int c = 0; c < block.rows(); c++) {
          int other = start + c;
          float value = products[q * block.rows() + c];
          if (labels[other] == classes[q]
              && other != images[q]
              && value > bestSimilarity[q][count - 1]) {
            int at = count - 1;
            while (at > 0 && bestSimilarity[q][at - 1] < value) {
              bestSimilarity[q][at] = bestSimilarity[q][at - 1];
              best[q][at] = best[q][at - 1];
              at--;
            }
            bestSimilarity[q][at] = value;
            best[q][at] = other;
          }
        }
      }
    }
    return best;
  }
}
