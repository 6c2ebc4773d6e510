package dev.tltf.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tltf.common.NativeSetup;
import org.junit.jupiter.api.Test;
import org.nd4j.nativeblas.NativeOpsHolder;

class SingleThreadedNd4jTest {
  @Test
  void limitsOpenMpToOneThreadAndRestoresIt() {
    NativeSetup.ensure();
    int ompThreads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    try (SingleThreadedNd4j threads = SingleThreadedNd4j.enter()) {
      assertEquals(1, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
    }
    assertEquals(ompThreads, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
  }
}
