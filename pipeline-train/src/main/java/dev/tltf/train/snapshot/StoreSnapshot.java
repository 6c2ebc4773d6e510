package dev.tltf.train.snapshot;

import dev.tltf.common.split.Split;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.train.labels.Exclusions;
import dev.tltf.train.labels.Labeling;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The current vectors of a feature store, read once in a streaming pass and split by {@link Split}
 * into three {@link VectorSpill}s on local disk. Every head of a run (a sweep: several label files,
 * learning rates, …) trains from this one copy; labels are applied afterwards by {@link Labeling}.
 */
public final class StoreSnapshot implements AutoCloseable {
  private final FeatureStore store;
  private final Split split;
  private final Map<Split.Part, VectorSpill> parts;

  private StoreSnapshot(FeatureStore store, Split split, Map<Split.Part, VectorSpill> parts) {
    this.store = store;
    this.split = split;
    this.parts = parts;
  }

  public static StoreSnapshot read(FeatureStore store, Split split) {
    return read(store, split, Exclusions.NONE);
  }

  /**
   * As {@link #read(FeatureStore, Split)}, leaving out the rows that {@code exclusions} names
   * (train-head --exclude).
   */
  public static StoreSnapshot read(FeatureStore store, Split split, Exclusions exclusions) {
    int dimension = store.fingerprint().dimension();
    Map<Split.Part, VectorSpill> parts = new EnumMap<>(Split.Part.class);
    for (Split.Part part : Split.Part.values()) {
      parts.put(part, VectorSpill.create(dimension));
    }
    Iterator<Row> rows =
        store
            .features()
            .select(
                FeatureStoreSchema.PATH, FeatureStoreSchema.IMAGE_ID, FeatureStoreSchema.FEATURES)
            .toLocalIterator();
    while (rows.hasNext()) {
      Row row = rows.next();
      String path = row.getString(0);
      String imageId = row.getString(1);
      if (exclusions.excludes(path, imageId)) {
        continue;
      }
      parts
          .get(split.partOf(imageId))
          .append(store.toVector(row.getList(2), dimension, path), path, imageId);
    }
    parts.values().forEach(VectorSpill::flush);
    return new StoreSnapshot(store, split, parts);
  }

  public FeatureStore store() {
    return store;
  }

  public Split split() {
    return split;
  }

  public VectorSpill part(Split.Part part) {
    return parts.get(part);
  }

  public long size() {
    return parts.values().stream().mapToLong(VectorSpill::size).sum();
  }

  @Override
  public void close() {
    parts.values().forEach(VectorSpill::close);
  }
}
