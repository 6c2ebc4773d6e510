package dev.tltf.train.labels;

import dev.tltf.common.labels.FolderLabels;

/** {@code --labels dirs}: an image's label is the name of its parent folder. */
public final class FolderLabelSource implements LabelSource {
  public static final String NAME = "dirs";

  @Override
  public String labelOf(String path, String imageId) {
    return FolderLabels.labelOf(path);
  }

  @Override
  public String describe() {
    return "folder names";
  }
}
