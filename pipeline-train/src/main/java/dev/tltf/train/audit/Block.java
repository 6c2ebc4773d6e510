package dev.tltf.train.audit;

import java.io.Serializable;

/**
 * Consecutive unit vectors {@code [offset, offset + rows)}, row-major: the unit of the all-pairs
 * search.
 */
public record Block(int offset, int rows, int dimension, float[] values) implements Serializable {
  public Block {
    if (values.length != rows * dimension) {
      throw new IllegalArgumentException(
          "A block of "
              + rows
              + " × "
              + dimension
              + " needs "
              + rows * dimension
              + " values, got "
              + values.length);
    }
  }
}
