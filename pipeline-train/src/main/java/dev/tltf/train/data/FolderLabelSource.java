package dev.tltf.train.data;

import dev.tltf.common.data.FolderLabels;

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
