package dev.tltf.features.export.onnx;

/**
 * A DL4J layer, vertex or setting the ONNX export has no lowering for. The message names the layer
 * ({@link #subject}) and what was found ({@link #problem}); nothing is approximated.
 */
public final class UnsupportedLayerException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String subject;
  private final String problem;

  public UnsupportedLayerException(String subject, String problem) {
    super("Cannot export " + subject + " to ONNX: " + problem);
    this.subject = subject;
    this.problem = problem;
  }

  /** What could not be exported: "layer conv2d_5", "head layer 0". */
  public String subject() {
    return subject;
  }

  /** Why, as the end of a sentence: "it is a BatchNormalization, which …". */
  public String problem() {
    return problem;
  }
}
