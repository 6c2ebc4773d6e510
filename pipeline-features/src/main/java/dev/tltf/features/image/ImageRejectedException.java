package dev.tltf.features.image;

/**
 * An input file that cannot become a feature vector; it becomes an error row with this class and
 * message.
 */
public class ImageRejectedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorClass errorClass;

  public ImageRejectedException(ErrorClass errorClass, String reason) {
    super(reason);
    this.errorClass = errorClass;
  }

  public ImageRejectedException(ErrorClass errorClass, String reason, Throwable cause) {
    super(reason, cause);
    this.errorClass = errorClass;
  }

  public ErrorClass errorClass() {
    return errorClass;
  }
}
