package dev.tltf.features.image;

/**
 * Why an input file became an error row instead of a feature row; stored as {@code error_class}
 * (the lower-case name) next to a one-sentence {@code reason}.
 */
public enum ErrorClass {
  /** The file has no bytes. */
  EMPTY_FILE,
  /** The file could not be read (vanished after listing, permission denied, I/O error). */
  UNREADABLE,
  /** The bytes are not an image in any format we decode. */
  UNSUPPORTED_FORMAT,
  /** The format is recognised but the data are damaged or truncated. */
  CORRUPT_IMAGE,
  /** The file is larger than the configured maximum size. */
  FILE_TOO_LARGE,
  /** The header announces more pixels than the configured maximum; refused before decoding. */
  TOO_MANY_PIXELS,
  /** Decoding took longer than the configured time limit. */
  DECODE_TIMEOUT;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
