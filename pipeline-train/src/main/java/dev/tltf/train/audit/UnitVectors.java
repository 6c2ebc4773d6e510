package dev.tltf.train.audit;

import dev.tltf.train.snapshot.VectorSpill;

/**
 * The vectors that similarity is measured on: each stored vector minus the mean of all distinct
 * images, scaled to length 1. Centring matters: avg_pool vectors all point roughly the same way
 * (with seeded random weights, unrelated images have cosine ≈ 0.999), so raw cosines crowd near 1,
 * where float32 has little resolution left; after centring, a cosine measures what differs between
 * images. A vector equal to the mean stays all zeros (similar to nothing).
 */
public final class UnitVectors {
  private UnitVectors() {}

  /** The mean of the rows of {@code spill}, accumulated in double. */
  public static float[] mean(VectorSpill spill, int blockRows) {
    int dimension = spill.dimension();
    double[] sum = new double[dimension];
    forEachBlock(
        spill,
        blockRows,
        (block, count) -> {
          for (int i = 0; i < count; i++) {
            for (int d = 0; d < dimension; d++) {
              sum[d] += block[i * dimension + d];
            }
          }
        });
    float[] mean = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      mean[d] = (float) (sum[d] / Math.max(1, spill.size()));
    }
    return mean;
  }

  /** A new spill with the centred, unit-length rows of {@code spill}, in the same order. */
  public static VectorSpill centredUnit(VectorSpill spill, float[] mean, int blockRows) {
    VectorSpill unit = VectorSpill.create(spill.dimension());
    int[] next = {0};
    forEachBlock(
        spill,
        blockRows,
        (block, count) -> {
          float[] row = new float[spill.dimension()];
          for (int i = 0; i < count; i++) {
            System.arraycopy(block, i * row.length, row, 0, row.length);
            normalise(row, mean);
            int r = next[0]++;
            unit.append(row, spill.path(r), spill.imageId(r));
          }
        });
    unit.flush();
    return unit;
  }

  /** {@code (v − mean) / |v − mean|} in place (zeros when v equals the mean). */
  public static void normalise(float[] v, float[] mean) {
    double norm = 0;
    for (int d = 0; d < v.length; d++) {
      v[d] -= mean[d];
      norm += (double) v[d] * v[d];
    }
    float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
    for (int d = 0; d < v.length; d++) {
      v[d] *= scale;
    }
  }

  interface BlockConsumer {
    void accept(float[] block, int count);
  }

  static void forEachBlock(VectorSpill spill, int blockRows, BlockConsumer consumer) {
    int[] rows = new int[blockRows];
    float[] block = new float[blockRows * spill.dimension()];
    for (int start = 0; start < spill.size(); start += blockRows) {
      int count = Math.min(blockRows, spill.size() - start);
      for (int i = 0; i < count; i++) {
        rows[i] = start + i;
      }
      spill.read(rows, count, block);
      consumer.accept(block, count);
    }
  }

  /** Rows {@code [start, start + count)} of {@code spill}, back to back. */
  public static float[] readBlock(VectorSpill spill, int start, int count) {
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = start + i;
    }
    float[] block = new float[count * spill.dimension()];
    spill.read(rows, count, block);
    return block;
  }
}
