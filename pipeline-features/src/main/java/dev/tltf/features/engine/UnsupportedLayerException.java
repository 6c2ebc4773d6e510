package dev.tltf.features.engine;

/**
 * A graph the oneDNN engine cannot run, naming the vertex and what it uses; never answered by a
 * silent fallback.
 */
public final class UnsupportedLayerException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  UnsupportedLayerException(String message) {
    super(message);
  }
}
