package dev.tltf.train.labels;

import java.util.Collection;
import java.util.List;

/**
 * Where the labels of a training run come from; joined to the vectors at training time, never
 * stored with them.
 */
public interface LabelSource {
  /** The label of one stored image, or null when this source has none for it. */
  String labelOf(String path, String imageId);

  /** How this source is named in messages and in head.json. */
  String describe();

  /** Keys of this source that match no stored image (none for folder names). */
  default List<String> unknownKeys(
      Collection<String> storedPaths, Collection<String> storedImageIds) {
    return List.of();
  }

  /**
   * Keys given conflicting labels, with those labels ("a/1.jpg: cat, dog"); they carry no label.
   */
  default List<String> conflicts() {
    return List.of();
  }

  /** Rows of the source without a label value. */
  default long blankLabels() {
    return 0;
  }
}
