package dev.tltf.common.labels;

/**
 * Labels from folder names: an image's label is the name of the folder it sits in ({@code
 * cats/001.jpg} → cats).
 */
public final class FolderLabels {
  private FolderLabels() {}

  /**
   * The parent folder of a store-relative path, or null for a file at the root (which has no
   * label).
   */
  public static String labelOf(String relativePath) {
    int slash = relativePath.lastIndexOf('/');
    if (slash <= 0) {
      return null;
    }
    int previous = relativePath.lastIndexOf('/', slash - 1);
    return relativePath.substring(previous + 1, slash);
  }
}
