package dev.tltf.features.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.features.image.ErrorClass;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a run must write, given what it found and the store's current answer for each path ({@link
 * dev.tltf.common.store.FeatureStore#currentRows}): only what differs, so that an unchanged re-run
 * writes no row at all.
 *
 * <p>A vector stands while the path's bytes (its {@code image_id}) are unchanged. So does a failure
 * that depends only on the bytes ({@code empty_file}, {@code unsupported_format}, {@code
 * corrupt_image}, {@code too_many_pixels}, {@code file_too_large}): it is not tried again. A
 * transient failure ({@code unreadable}, {@code decode_timeout}) is tried again every run, and a
 * retry that fails the same way writes nothing. A row also records the file's size and modification
 * time: when only these changed (a file touched, or a store written before they were recorded), the
 * row is written again with the new values (its vector reused), so that the next run need not read
 * the file.
 */
final class StoreDelta {
  /** Failures that may not happen again, so they are retried. */
  static final List<String> RETRIED =
      List.of(ErrorClass.UNREADABLE.code(), ErrorClass.DECODE_TIMEOUT.code());

  private static final String CURRENT = "current_";

  private StoreDelta() {}

  /**
   * The readable files whose current answer does not stand: new paths, changed bytes, transient
   * failures, changed size or modification time.
   */
  static Dataset<Row> pending(Dataset<Row> readable, Dataset<Row> current) {
    Dataset<Row> standing =
        current
            .filter(
                col(FeatureStoreSchema.ERROR_CLASS)
                    .isNull()
                    .or(not(col(FeatureStoreSchema.ERROR_CLASS).isin(RETRIED.toArray()))))
            .select(
                col(FeatureStoreSchema.PATH).as(CURRENT + FeatureStoreSchema.PATH),
                col(FeatureStoreSchema.IMAGE_ID).as(CURRENT + FeatureStoreSchema.IMAGE_ID),
                col(FeatureStoreSchema.FILE_SIZE).as(CURRENT + FeatureStoreSchema.FILE_SIZE),
                col(FeatureStoreSchema.MODIFIED_MS).as(CURRENT + FeatureStoreSchema.MODIFIED_MS));
    Column same =
        col(FeatureStoreSchema.PATH)
            .equalTo(col(CURRENT + FeatureStoreSchema.PATH))
            .and(
                col(FeatureStoreSchema.IMAGE_ID)
                    .equalTo(col(CURRENT + FeatureStoreSchema.IMAGE_ID)))
            .and(sameFile());
    return readable.join(standing, same, "left_anti");
  }

  /** The same size and modification time as the current row (both unknown counts as the same). */
  private static Column sameFile() {
    return col(FeatureStoreSchema.FILE_SIZE)
        .eqNullSafe(col(CURRENT + FeatureStoreSchema.FILE_SIZE))
        .and(
            col(FeatureStoreSchema.MODIFIED_MS)
                .eqNullSafe(col(CURRENT + FeatureStoreSchema.MODIFIED_MS)));
  }

  /**
   * The error rows that differ from their path's current answer. The same failure means the same
   * bytes (or none read) and the same class; for failures that depend on the bytes also the same
   * reason, which names the limit that was exceeded, so a changed limit is recorded.
   */
  static Dataset<Row> newErrors(Dataset<Row> errors, Dataset<Row> current) {
    Dataset<Row> failed =
        current
            .filter(col(FeatureStoreSchema.ERROR_CLASS).isNotNull())
            .select(
                col(FeatureStoreSchema.PATH).as(CURRENT + FeatureStoreSchema.PATH),
                col(FeatureStoreSchema.IMAGE_ID).as(CURRENT + FeatureStoreSchema.IMAGE_ID),
                col(FeatureStoreSchema.ERROR_CLASS).as(CURRENT + FeatureStoreSchema.ERROR_CLASS),
                col(FeatureStoreSchema.REASON).as(CURRENT + FeatureStoreSchema.REASON),
                col(FeatureStoreSchema.FILE_SIZE).as(CURRENT + FeatureStoreSchema.FILE_SIZE),
                col(FeatureStoreSchema.MODIFIED_MS).as(CURRENT + FeatureStoreSchema.MODIFIED_MS));
    Column errorClass = col(FeatureStoreSchema.ERROR_CLASS);
    Column same =
        col(FeatureStoreSchema.PATH)
            .equalTo(col(CURRENT + FeatureStoreSchema.PATH))
            .and(
                col(FeatureStoreSchema.IMAGE_ID)
                    .eqNullSafe(col(CURRENT + FeatureStoreSchema.IMAGE_ID)))
            .and(errorClass.equalTo(col(CURRENT + FeatureStoreSchema.ERROR_CLASS)))
            .and(
                errorClass
                    .isin(RETRIED.toArray())
                    .or(
                        col(FeatureStoreSchema.REASON)
                            .equalTo(col(CURRENT + FeatureStoreSchema.REASON))))
            .and(sameFile());
    return errors.join(failed, same, "left_anti");
  }
}
