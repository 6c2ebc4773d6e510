package dev.tltf.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class SingleThreadedNd4jTest {
  @Test
  void limitsNd4jToOneThreadAndRestoresItsSettings() {
    int maxThreads = Nd4j.getEnvironment().maxThreads();
    int ompThreads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    try (SingleThreadedNd4j ignored = SingleThreadedNd4j.enter()) {
      assertEquals(1, Nd4j.getEnvironment().maxThreads());
      assertEquals(1, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
    }
    assertEquals(maxThreads, Nd4j.getEnvironment().maxThreads());
    assertEquals(ompThreads, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
  }
}
