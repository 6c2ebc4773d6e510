package dev.tltf.features.export.onnx;

/**
 * A DL4J layer, vertex or setting the ONNX export has no lowering for. The message names the layer and what was
 * found; nothing is approximated.
 */
public final class UnsupportedLayerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsupportedLayerException(String message) {
    super(message);
  }
}
