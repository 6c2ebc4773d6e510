package dev.tltf.train.model;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J limited to the calling thread while a head trains, restored on {@link #close()}. A softmax head is thousands
 * of tiny ops (a 64 × 2048 by 2048 × 100 product, element-wise ops on 64 × 100): split over OpenMP threads, each op
 * pays a fork and a barrier, and on a busy machine a barrier waits for whichever thread lost its core — measured
 * here, an epoch took ~6× longer on 2 threads than on one while another process kept a core busy.
 */
final class SingleThreadedNd4j implements AutoCloseable {
  private final int maxThreads;
  private final int maxMasterThreads;
  private final int ompThreads;

  private SingleThreadedNd4j() {
    Environment environment = Nd4j.getEnvironment();
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    maxThreads = environment.maxThreads();
    maxMasterThreads = environment.maxMasterThreads();
    ompThreads = ops.ompGetMaxThreads();
    environment.setMaxThreads(1);
    environment.setMaxMasterThreads(1);
    ops.setOmpNumThreads(1);
  }

  static SingleThreadedNd4j enter() {
    return new SingleThreadedNd4j();
  }

  @Override
  public void close() {
    Nd4j.getEnvironment().setMaxThreads(maxThreads);
    Nd4j.getEnvironment().setMaxMasterThreads(maxMasterThreads);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(ompThreads);
  }
}
