package dev.tltf.train.data;

import dev.tltf.common.data.FolderLabels;
import dev.tltf.common.data.Split;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The labelled vectors of a feature store, split by {@link Split} into three {@link VectorSpill}s, read in one
 * streaming pass over the store (the driver never holds all vectors). Labels are numbered in sorted order.
 */
public final class LabeledSplits implements AutoCloseable {
  private final List<String> labels;
  private final Map<Split.Part, VectorSpill> parts;
  private final long unlabeled;

  private LabeledSplits(List<String> labels, Map<Split.Part, VectorSpill> parts, long unlabeled) {
    this.labels = List.copyOf(labels);
    this.parts = parts;
    this.unlabeled = unlabeled;
  }

  /** Reads every feature row of {@code store}, labelled by its folder name. */
  public static LabeledSplits fromFolders(FeatureStore store, Split split) {
    int dimension = store.fingerprint().dimension();
    Map<Split.Part, VectorSpill> parts = new EnumMap<>(Split.Part.class);
    for (Split.Part part : Split.Part.values()) {
      parts.put(part, VectorSpill.create(dimension, part != Split.Part.TRAIN));
    }
    Map<String, Integer> firstSeen = new LinkedHashMap<>();
    long unlabeled = 0;
    Iterator<Row> rows = store.features()
        .select(FeatureStoreSchema.PATH, FeatureStoreSchema.IMAGE_ID, FeatureStoreSchema.FEATURES)
        .toLocalIterator();
    while (rows.hasNext()) {
      Row row = rows.next();
      String path = row.getString(0);
      String label = FolderLabels.labelOf(path);
      if (label == null) {
        unlabeled++;
        continue;
      }
      float[] vector = store.toVector(row.getList(2), dimension, path);
      int index = firstSeen.computeIfAbsent(label, l -> firstSeen.size());
      parts.get(split.partOf(row.getString(1))).append(vector, index, path);
    }
    parts.values().forEach(VectorSpill::flush);
    List<String> labels = new ArrayList<>(firstSeen.keySet());
    labels.sort(null);
    int[] mapping = new int[labels.size()];
    Map<String, Integer> sorted = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      sorted.put(labels.get(i), i);
    }
    firstSeen.forEach((label, index) -> mapping[index] = sorted.get(label));
    parts.values().forEach(spill -> spill.relabel(mapping));
    return new LabeledSplits(labels, parts, unlabeled);
  }

  public List<String> labels() {
    return labels;
  }

  public VectorSpill part(Split.Part part) {
    return parts.get(part);
  }

  /** Feature rows that had no label (files at the root of --images). */
  public long unlabeled() {
    return unlabeled;
  }

  /** counts[part][label]. */
  public long[][] counts() {
    long[][] counts = new long[Split.Part.values().length][labels.size()];
    for (Split.Part part : Split.Part.values()) {
      VectorSpill spill = parts.get(part);
      for (int row = 0; row < spill.size(); row++) {
        counts[part.ordinal()][spill.label(row)]++;
      }
    }
    return counts;
  }

  @Override
  public void close() {
    parts.values().forEach(VectorSpill::close);
  }
}
