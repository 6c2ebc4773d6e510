package dev.tltf.features.benchmark;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 matrix-multiply rate of this machine through ND4J (its OpenMP threads, the BLAS it
 * ships): the ceiling any convolution engine on these cores can approach, since a convolution is at
 * best one GEMM per layer.
 */
final class GemmCeiling {
  private GemmCeiling() {}

  /** GFLOP/s of an n×n by n×n sgemm (2n³ floating-point operations per run). */
  static BatchTimer.Timing time(int n, BatchTimer timer, double seconds, int warmUp) {
    Nd4j.getRandom().setSeed(7);
    INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray c = Nd4j.create(DataType.FLOAT, n, n);
    return timer.time(() -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0), seconds, warmUp);
  }

  static double gflops(int n, double seconds) {
    return 2.0 * n * n * n / seconds / 1e9;
  }
}
