package dev.tltf.common.error;

/**
 * Bad input from the user: a flag, a value, a file, a store or a label file. The message is one
 * sentence that names the thing, the value and what is allowed; it is printed as is and the job
 * exits with status 2 before writing anything. Running again with the same input fails the same
 * way.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Fails with {@code message} when {@code condition} is false; the usual precondition for user
   * input.
   */
  // Callers pass literal formats; @FormatMethod would need error_prone_annotations as a dependency.
  @SuppressWarnings("AnnotateFormatMethod")
  public static void check(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new InvalidInputException(String.format(message, args));
    }
  }
}
