package dev.tltf.train.model;

import dev.tltf.train.snapshot.VectorSpill;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows of a local {@link VectorSpill}, standardised, in blocks of at most {@value #BLOCK_ROWS}
 * rows. When the float32 matrix fits {@code budgetBytes} it is built once and kept in native memory
 * (every evaluation is then two matrix products per block and nothing else); otherwise each
 * evaluation reads the blocks again from the spill's memory maps and standardises them on the way,
 * so memory stays at one block whatever the split's size.
 */
public final class LocalSoftmaxData implements SoftmaxData {
  /** 8,192 rows of 2048 floats: a 64 MB block, large enough for GEMM to run at full speed. */
  static final int BLOCK_ROWS = 8_192;

  private final VectorSpill spill;
  private final int[] rows;
  private final int[] labels;
  private final float[] rowWeights;
  private final Standardizer standardizer;
  private final int classes;

  /** The standardised blocks when they fit the budget; null when streamed. */
  private final List<INDArray> blocks;

  /**
   * @param rows spill rows to use
   * @param labels the class of each of {@code rows}, in the same order
   * @param rowWeights the loss weight of each row, or null for 1
   */
  public LocalSoftmaxData(
      VectorSpill spill,
      int[] rows,
      int[] labels,
      float[] rowWeights,
      Standardizer standardizer,
      int classes,
      long budgetBytes) {
    this.spill = spill;
    this.rows = rows;
    this.labels = labels;
    this.rowWeights = rowWeights;
    this.standardizer = standardizer;
    this.classes = classes;
    this.blocks = matrixBytes(rows.length, spill.dimension()) <= budgetBytes ? load() : null;
  }

  /** Bytes of the float32 matrix of {@code rows} × {@code dimension}. */
  public static long matrixBytes(long rows, int dimension) {
    return rows * dimension * Float.BYTES;
  }

  public boolean inMemory() {
    return blocks != null;
  }

  private List<INDArray> load() {
    List<INDArray> loaded = new ArrayList<>();
    for (int start = 0; start < rows.length; start += BLOCK_ROWS) {
      loaded.add(block(start));
    }
    return loaded;
  }

  private INDArray block(int start) {
    int count = Math.min(BLOCK_ROWS, rows.length - start);
    int dimension = spill.dimension();
    float[] values = new float[count * dimension];
    spill.read(Arrays.copyOfRange(rows, start, start + count), count, values);
    standardizer.apply(values, count);
    return Nd4j.create(values, new long[] {count, dimension}, 'c');
  }

  @Override
  public int dimension() {
    return spill.dimension();
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public int rows() {
    return rows.length;
  }

  @Override
  public SoftmaxSums sums(float[] w, float[] b, boolean withGradient) {
    SoftmaxSums sums = new SoftmaxSums(dimension(), classes, withGradient);
    INDArray weights = Nd4j.create(w, new long[] {dimension(), classes}, 'c');
    for (int start = 0, index = 0; start < rows.length; start += BLOCK_ROWS, index++) {
      int end = Math.min(rows.length, start + BLOCK_ROWS);
      INDArray x = blocks != null ? blocks.get(index) : block(start);
      sums.add(
          x,
          Arrays.copyOfRange(labels, start, end),
          rowWeights == null ? null : Arrays.copyOfRange(rowWeights, start, end),
          weights,
          b);
      if (blocks == null) {
        SoftmaxSums.close(x);
      }
    }
    SoftmaxSums.close(weights);
    return sums;
  }

  @Override
  public void close() {
    if (blocks != null) {
      blocks.forEach(SoftmaxSums::close);
    }
  }
}
