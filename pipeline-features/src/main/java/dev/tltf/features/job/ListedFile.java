package dev.tltf.features.job;

import java.io.Serializable;

/**
 * One input file found by {@link ImageListing}: its path relative to the --images root, full URI and size. An entry
 * that cannot be read at all (a manifest line naming no file, a broken or looping symbolic link) carries the
 * {@code problem} it becomes an error row with, and size -1.
 */
public record ListedFile(String path, String uri, long size, String problem) implements Serializable {
  public ListedFile(String path, String uri, long size) {
    this(path, uri, size, null);
  }

  static ListedFile unreadable(String path, String uri, String problem) {
    return new ListedFile(path, uri, -1, problem);
  }
}
