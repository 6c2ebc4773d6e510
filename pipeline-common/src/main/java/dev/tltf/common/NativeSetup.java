package dev.tltf.common;

/**
 * Prepares a JVM for ND4J and DL4J, before the first ND4J call and before any network is built or
 * loaded; every entry point that touches ND4J calls {@link #ensure()} first (job mains, backbone
 * and head loaders).
 *
 * <ul>
 *   <li>Natives: only ND4J's {@code linux-x86_64-onednn-avx2} build ships (oneDNN linked in);
 *       JavaCPP is pointed at it explicitly.
 *   <li>oneDNN layer helpers: DL4J M2.1 creates them only when {@code
 *       org.eclipse.deeplearning4j.helpers.disable} is {@code false}; the rest of that workaround
 *       lives beside the backbone ({@code dev.tltf.features.backbone.OneDnnLayerHelpers}), the only
 *       user of those helpers.
 * </ul>
 *
 * Values set on the command line ({@code -D…}) are left alone.
 */
public final class NativeSetup {
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
  public static final String EXTENSION = "-onednn-avx2";
  public static final String HELPERS_DISABLE_PROPERTY =
      "org.eclipse.deeplearning4j.helpers.disable";

  private static boolean done;

  private NativeSetup() {}

  public static synchronized void ensure() {
    if (done) {
      return;
    }
    if (System.getProperty(EXTENSION_PROPERTY) == null) {
      System.setProperty(EXTENSION_PROPERTY, EXTENSION);
    }
    if (System.getProperty(HELPERS_DISABLE_PROPERTY) == null) {
      System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
    }
    done = true;
  }
}
