package dev.tltf.common.error;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * A failure that says nothing about the input and may not happen again: a file system that refused
 * a connection or timed out, an interrupted commit, a store whose lease another writer holds. The
 * job exits with status 1 and a message that says a retry may succeed; whatever was committed
 * before is intact (see the store's commit rule).
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
   * The failure {@code e} of an I/O step described by {@code context} ("Cannot read feature store
   * X"): a path that does not exist or may not be read is the user's input and fails the same way
   * every time; anything else (refused connections, timeouts, lost data nodes, interrupted renames)
   * is transient.
   */
  public static RuntimeException fromIo(String context, IOException e) {
    String detail =
        firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    if (isPermanent(e)) {
      return new InvalidInputException(context + ": " + detail + ".", e);
    }
    return new RetryableException(
        context + ": " + e.getClass().getSimpleName() + ": " + detail + ".", e);
  }

  /**
   * {@code e} as it should reach the user: unchanged when it already is one of our two types or
   * holds no I/O failure (a checked one wrapped, as Spark throws SparkException undeclared);
   * otherwise (Spark hands on a task's IOException inside its own exceptions) the I/O failure,
   * classified as by {@link #fromIo}.
   */
  public static RuntimeException fromCause(String context, Throwable e) {
    IOException io = null;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidInputException || cause instanceof RetryableException) {
        return e instanceof RuntimeException unchecked
            ? unchecked
            : new IllegalStateException(e.toString(), e);
      }
      if (io == null && cause instanceof IOException found) {
        io = found;
      }
    }
    if (io == null) {
      return e instanceof RuntimeException unchecked
          ? unchecked
          : new IllegalStateException(e.toString(), e);
    }
    RuntimeException classified = fromIo(context, io);
    classified.addSuppressed(e);
    return classified;
  }

  private static boolean isPermanent(IOException e) {
    return e instanceof FileNotFoundException
        || e instanceof NoSuchFileException
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
