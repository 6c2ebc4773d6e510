package dev.tltf.train.audit;

import dev.tltf.train.snapshot.VectorSpill;

/**
 * The exact all-pairs search over the unit vectors of the distinct images: every block pair {@code
 * (i, j)} with {@code i ≤ j} once, so memory is bounded by two blocks and their product plus the
 * table ({@code N × k}), never by N². {@link #onDriver} runs the pairs in this JVM; {@link
 * SparkNeighbourSearch} spreads them over executors.
 */
public final class NeighbourSearch {
  private NeighbourSearch() {}

  /**
   * The neighbour table of all rows of {@code unit}, computed block pair by block pair in this JVM.
   */
  public static NeighbourTable onDriver(VectorSpill unit, int[] labels, int k, int blockRows) {
    int n = unit.size();
    NeighbourTable table = new NeighbourTable(0, n, k);
    try (BlockProducts buffers = new BlockProducts()) {
      for (int i = 0; i < n; i += blockRows) {
        Block a = block(unit, i, Math.min(blockRows, n - i));
        for (int j = i; j < n; j += blockRows) {
          Block b = j == i ? a : block(unit, j, Math.min(blockRows, n - j));
          BlockKernel.compare(buffers, a, b, labels, table, table);
        }
      }
    }
    return table;
  }

  static Block block(VectorSpill unit, int start, int rows) {
    return new Block(start, rows, unit.dimension(), UnitVectors.readBlock(unit, start, rows));
  }
}
