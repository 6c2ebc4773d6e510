package dev.tltf.train.audit;

import dev.tltf.common.split.Split;
import dev.tltf.train.labels.Labeling;
import dev.tltf.train.snapshot.StoreSnapshot;
import dev.tltf.train.snapshot.VectorSpill;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an audit looks at: every stored path with its image_id, split and label, and the distinct
 * images (one per image_id: identical bytes under several paths are one image with several paths).
 * Similarity, label errors and outliers are computed per distinct image; its label is that of its
 * first path in store order, and paths that disagree are reported as exact-duplicate conflicts. The
 * distinct images' vectors are copied once into a local {@link VectorSpill} (image index = row), so
 * that later stages read them by block in bounded memory.
 */
public final class AuditSet implements AutoCloseable {
  /** One stored path. {@code label} is a class index or {@link Labeling#NONE}. */
  public record Entry(String path, String imageId, Split.Part part, int label, int image) {}

  private final List<String> classes;
  private final List<Entry> entries;
  private final int[] firstEntry;
  private final VectorSpill vectors;

  private AuditSet(
      List<String> classes, List<Entry> entries, int[] firstEntry, VectorSpill vectors) {
    this.classes = List.copyOf(classes);
    this.entries = List.copyOf(entries);
    this.firstEntry = firstEntry;
    this.vectors = vectors;
  }

  /**
   * Collects the entries of {@code snapshot} under {@code labeling} and spills one vector per
   * distinct image.
   */
  public static AuditSet of(StoreSnapshot snapshot, Labeling labeling) {
    int dimension = snapshot.part(Split.Part.TRAIN).dimension();
    VectorSpill vectors = VectorSpill.create(dimension);
    Map<String, Integer> imageOf = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    List<Integer> first = new ArrayList<>();
    float[] vector = new float[dimension];
    int[] row = new int[1];
    for (Split.Part part : Split.Part.values()) {
      VectorSpill spill = snapshot.part(part);
      int[] labels = labeling.labels(part);
      for (int r = 0; r < spill.size(); r++) {
        String imageId = spill.imageId(r);
        Integer image = imageOf.get(imageId);
        if (image == null) {
          image = imageOf.size();
          imageOf.put(imageId, image);
          first.add(entries.size());
          row[0] = r;
          spill.read(row, 1, vector);
          vectors.append(vector, spill.path(r), imageId);
        }
        entries.add(new Entry(spill.path(r), imageId, part, labels[r], image));
      }
    }
    vectors.flush();
    return new AuditSet(
        labeling.classes(), entries, first.stream().mapToInt(Integer::intValue).toArray(), vectors);
  }

  public List<String> classes() {
    return classes;
  }

  /** Every stored path, in store order. */
  public List<Entry> entries() {
    return entries;
  }

  /** Number of distinct images. */
  public int images() {
    return firstEntry.length;
  }

  /** The first path of a distinct image, whose label and split stand for it. */
  public Entry image(int image) {
    return entries.get(firstEntry[image]);
  }

  /** Class index of each distinct image ({@link Labeling#NONE} when unlabelled). */
  public int[] imageLabels() {
    int[] labels = new int[images()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = image(i).label();
    }
    return labels;
  }

  /** The raw stored vector of each distinct image, row = image index. */
  public VectorSpill vectors() {
    return vectors;
  }

  @Override
  public void close() {
    vectors.close();
  }
}
