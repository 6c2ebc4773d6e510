package dev.tltf.features.backbone;

import dev.tltf.common.NativeSetup;
import org.deeplearning4j.config.DL4JClassLoading;

/**
 * Keeps DL4J's oneDNN layer helpers on for the backbone's convolutions, pools and batch norms. DL4J
 * M2.1 creates them only if its helper check finds {@link org.nd4j.nativeblas.Nd4jCpu} (our
 * workaround, shipped in this module because only the backbone needs it), so DL4J is told to load
 * classes through the loader that holds this jar (on a Spark executor the thread's context loader
 * may not). Heads (dense layers) have no such helper.
 */
public final class OneDnnLayerHelpers {
  private static boolean done;

  private OneDnnLayerHelpers() {}

  public static synchronized void ensure() {
    NativeSetup.ensure();
    if (!done) {
      DL4JClassLoading.setDl4jClassloaderFromClass(org.nd4j.nativeblas.Nd4jCpu.class);
      done = true;
    }
  }
}
