package dev.tltf.common.error;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * A failure that says nothing about the input and may not happen again: a file system that refused a connection or
 * timed out, an interrupted commit, a store whose lease another writer holds. The job exits with status 1 and a
 * message that says a retry may succeed; whatever was committed before is intact (see the store's commit rule).
 */
public class RetryableException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** What every message ends with, so that a person and a scheduler both know what to do. */
  public static final String RETRY_HINT = "A retry may succeed.";

  public RetryableException(String message) {
    super(withHint(message));
  }

  public RetryableException(String message, Throwable cause) {
    super(withHint(message), cause);
  }

  /**
   * The failure {@code e} of an I/O step described by {@code context} ("Cannot read feature store X"): a path that
   * does not exist or may not be read is the user's input and fails the same way every time; anything else
   * (refused connections, timeouts, lost data nodes, interrupted renames) is transient.
   */
  public static RuntimeException fromIo(String context, IOException e) {
    String detail = firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    if (isPermanent(e)) {
      return new InvalidInputException(context + ": " + detail + ".", e);
    }
    return new RetryableException(context + ": " + e.getClass().getSimpleName() + ": " + detail + ".", e);
  }

  private static boolean isPermanent(IOException e) {
    return e instanceof FileNotFoundException || e instanceof NoSuchFileException
        || e instanceof AccessDeniedException
        || e instanceof org.apache.hadoop.security.AccessControlException
        || e instanceof org.apache.hadoop.fs.PathNotFoundException;
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    String line = (newline < 0 ? message : message.substring(0, newline)).strip();
    return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
  }

  private static String withHint(String message) {
    String sentence = message.endsWith(".") ? message : message + ".";
    return sentence.endsWith(RETRY_HINT) ? sentence : sentence + " " + RETRY_HINT;
  }
}
