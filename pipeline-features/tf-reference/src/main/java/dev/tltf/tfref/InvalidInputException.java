package dev.tltf.tfref;

/**
 * An input the reference refuses — a weight file that is unreadable or not InceptionV3 in the Keras
 * notop layout, a tensor file of the wrong length, an image TensorFlow cannot decode — with a
 * message that names it and says why. The run ends with exit status 2.
 */
final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidInputException(String message) {
    super(message);
  }

  InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
