package dev.tltf.train.model;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J limited to the calling thread while a head trains (libnd4j's own threads and OpenMP's), restored on
 * {@link #close()}. A softmax head is thousands of tiny ops (a 64 × 2048 by 2048 × 100 product, element-wise ops on
 * 64 × 100): split over OpenMP threads, each op pays a fork and a barrier, and on a busy machine a barrier waits for
 * whichever thread lost its core. Measured here on 16,000 training rows with another process on one of the two
 * cores: ~28 s per epoch on 2 threads with positional reads, ~3.5 s single-threaded with memory-mapped reads
 * ({@code VectorSpill}); 2 threads with passive OpenMP waiting and the same reads: ~4.5 s.
 */
final class SingleThreadedNd4j implements AutoCloseable {
  private final int maxThreads;
  private final int ompThreads;

  private SingleThreadedNd4j() {
    Environment environment = Nd4j.getEnvironment();
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    maxThreads = environment.maxThreads();
    ompThreads = ops.ompGetMaxThreads();
    environment.setMaxThreads(1);
    ops.setOmpNumThreads(1);
  }

  static SingleThreadedNd4j enter() {
    return new SingleThreadedNd4j();
  }

  @Override
  public void close() {
    Nd4j.getEnvironment().setMaxThreads(maxThreads);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(ompThreads);
  }
}
