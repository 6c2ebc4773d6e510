package dev.tltf.train.model;

/**
 * Labelled, standardised rows that a full-batch loss is summed over, wherever they live: one matrix
 * in memory, blocks streamed from the local spill ({@link LocalSoftmaxData}), or cached partitions
 * on Spark executors ({@link DistributedSoftmaxData}).
 */
public interface SoftmaxData extends AutoCloseable {
  int dimension();

  int classes();

  int rows();

  /**
   * Sums of the loss (and, if {@code withGradient}, its gradient) over every row, for weights
   * {@code w} (d × k, row-major) and biases {@code b}.
   */
  SoftmaxSums sums(float[] w, float[] b, boolean withGradient);

  /** Frees what the rows hold (native memory, cached partitions). */
  @Override
  void close();
}
