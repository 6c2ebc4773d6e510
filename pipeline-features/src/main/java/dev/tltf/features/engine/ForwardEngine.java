package dev.tltf.features.engine;

/**
 * What runs the backbone's forward pass ({@code --engine}): the same weights and, to float
 * round-off, the same vectors either way, so a store's backbone fingerprint does not depend on it.
 */
public enum ForwardEngine {
  /**
   * {@link OneDnnEngine}: the inference graph lowered to oneDNN primitives, blocked layouts end to
   * end.
   */
  ONEDNN,
  /** DL4J's {@code ComputationGraph.output} (with its own oneDNN helpers): the model of record. */
  DL4J;

  /** The name the flag and the configuration use: {@code onednn} or {@code dl4j}. */
  public String flagValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
