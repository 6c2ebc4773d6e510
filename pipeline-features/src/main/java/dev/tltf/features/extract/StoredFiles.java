package dev.tltf.features.extract;

import static org.apache.spark.sql.functions.col;

import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.features.image.ErrorClass;
import dev.tltf.features.listing.ListedFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The driver's decision, before any image job, of which listed files a run must read: the store's
 * current rows are collected narrowly (path, image_id, error_class, file_size, modified_ms; never a
 * vector) and matched against the metadata-only listing. A listed file is <em>settled</em> when its
 * path's current answer stands without opening it, by the rules of {@link StoreDelta}: a vector or
 * a failure of the bytes, recorded with the same size and modification time; or, for an entry the
 * listing itself could not read (a dangling link), the same unreadable failure, which a retry would
 * only repeat. Everything else (new paths, changed size or time, transient failures, rows without
 * sizes from older stores) is pending and goes through the hashing, decoding and network stages.
 *
 * <p>The driver already holds the listing, one entry per file; the collected rows are about as
 * small (a path, a 64-character id and three short fields each), so the decision costs the driver
 * no more memory than the listing did, and an unchanged re-run starts no Spark job over the images.
 */
final class StoredFiles {
  private final Map<String, Stored> byPath;

  /** One path's current row, as far as the decision needs it. */
  private record Stored(String imageId, String errorClass, Long size, Long modifiedMs) {}

  /** The files a run reads, and how many listed files it need not. */
  record Split(List<ListedFile> pending, long settled) {}

  private StoredFiles(Map<String, Stored> byPath) {
    this.byPath = byPath;
  }

  /**
   * Collects {@code current} ({@link dev.tltf.common.store.FeatureStore#currentRows}) to the
   * driver.
   */
  static StoredFiles collect(Dataset<Row> current) {
    List<Row> rows =
        current
            .select(
                col(FeatureStoreSchema.PATH),
                col(FeatureStoreSchema.IMAGE_ID),
                col(FeatureStoreSchema.ERROR_CLASS),
                col(FeatureStoreSchema.FILE_SIZE),
                col(FeatureStoreSchema.MODIFIED_MS))
            .collectAsList();
    Map<String, Stored> byPath = new HashMap<>(rows.size() * 2);
    for (Row row : rows) {
      Stored stored =
          new Stored(
              row.getString(1),
              row.getString(2),
              row.isNullAt(3) ? null : row.getLong(3),
              row.isNullAt(4) ? null : row.getLong(4));
      // Two current rows for one path cannot be told apart here: neither is taken as standing.
      byPath.merge(row.getString(0), stored, (a, b) -> null);
    }
    return new StoredFiles(byPath);
  }

  Split split(List<ListedFile> files) {
    List<ListedFile> pending = new ArrayList<>();
    for (ListedFile file : files) {
      if (!settled(file, byPath.get(file.path()))) {
        pending.add(file);
      }
    }
    return new Split(pending, files.size() - pending.size());
  }

  private static boolean settled(ListedFile file, Stored stored) {
    if (stored == null) {
      return false;
    }
    if (file.problem() != null) {
      return stored.imageId() == null
          && ErrorClass.UNREADABLE.code().equals(stored.errorClass())
          && stored.size() == null
          && stored.modifiedMs() == null;
    }
    return stored.imageId() != null
        && (stored.errorClass() == null || !StoreDelta.RETRIED.contains(stored.errorClass()))
        && Objects.equals(stored.size(), file.size())
        && Objects.equals(stored.modifiedMs(), file.modifiedMs());
  }
}
