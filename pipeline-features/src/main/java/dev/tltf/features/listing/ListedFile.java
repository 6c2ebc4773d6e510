package dev.tltf.features.listing;

import java.io.Serializable;

/**
 * One input file found by {@link ImageListing}: its path relative to the --images root, full URI,
 * size and modification time (epoch ms) as listed. An entry that cannot be read at all (a manifest
 * line naming no file, a broken or looping symbolic link) carries the {@code problem} it becomes an
 * error row with, and size and modification time -1.
 */
public record ListedFile(String path, String uri, long size, long modifiedMs, String problem)
    implements Serializable {
  public ListedFile(String path, String uri, long size, long modifiedMs) {
    this(path, uri, size, modifiedMs, null);
  }

  public static ListedFile unreadable(String path, String uri, String problem) {
    return new ListedFile(path, uri, -1, -1, problem);
  }

  /**
   * The size and modification time to store with the file's row: none for a file that was not
   * listed as one.
   */
  public Long storedSize() {
    return problem == null ? size : null;
  }

  public Long storedModifiedMs() {
    return problem == null ? modifiedMs : null;
  }
}
