package dev.tltf.train.model;

import dev.tltf.common.NativeSetup;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J's OpenMP limited to one thread while a head trains, restored on {@link #close()} (libnd4j's
 * own {@code Environment.setMaxThreads} reads back unchanged in M2.1, so it is not relied on). A
 * softmax head is thousands of tiny ops (a 64 × 2048 by 2048 × 100 product, element-wise ops on 64
 * × 100): split over OpenMP threads, each op pays a fork and a barrier, and on a busy machine a
 * barrier waits for whichever thread lost its core. Measured here on 16,000 training rows with
 * another process on one of the two cores: ~28 s per epoch on 2 threads with positional reads, ~3.5
 * s on one with memory-mapped reads ({@code VectorSpill}); 2 threads with passive OpenMP waiting
 * and the same reads: ~4.5 s.
 */
final class SingleThreadedNd4j implements AutoCloseable {
  static {
    NativeSetup.ensure();
    // The backend first: NativeOpsHolder alone, before ND4J has loaded, fails for the life of the
    // JVM.
    Nd4j.getExecutioner();
  }

  private final int ompThreads;

  private SingleThreadedNd4j() {
    ompThreads = ompThreads();
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
  }

  /** OpenMP's thread count for the calling thread's next parallel region. */
  static int ompThreads() {
    return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
  }

  static SingleThreadedNd4j enter() {
    return new SingleThreadedNd4j();
  }

  @Override
  public void close() {
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(ompThreads);
  }
}
