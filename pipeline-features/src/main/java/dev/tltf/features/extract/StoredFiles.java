package dev.tltf.features.extract;

import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.common.store.StoreLayout;
import dev.tltf.features.image.ErrorClass;
import dev.tltf.features.listing.ListedFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The driver's decision, before any image job, of which listed files a run must read: the store's
 * current rows are read narrowly on the driver (path, image_id, error_class, file_size,
 * modified_ms; never a vector) and matched against the metadata-only listing. A listed file is
 * <em>settled</em> when its path's current answer stands without opening it, by the rules of {@link
 * StoreDelta}: a vector or a failure of the bytes, recorded with the same size and modification
 * time; or, for an entry the listing itself could not read (a dangling link), the same unreadable
 * failure, which a retry would only repeat. Everything else (new paths, changed size or time,
 * transient failures, rows without sizes from older stores) is pending and goes through the
 * hashing, decoding and network stages.
 *
 * <p>The rows are read straight from the committed partitions' Parquet files with only those five
 * columns requested, not through Spark: an unchanged re-run then starts no Spark job at all, and
 * costs its listing plus one sequential read of five narrow columns. The current row of a path is
 * the row of its latest committed run, as in {@link FeatureStore#currentRows}. The driver already
 * holds the listing, one entry per file; the rows read are about as small (a path, a 64-character
 * id and three short fields each), so the decision costs the driver no more memory than the listing
 * did.
 */
final class StoredFiles {
  private static final List<String> COLUMNS =
      List.of(
          FeatureStoreSchema.PATH,
          FeatureStoreSchema.IMAGE_ID,
          FeatureStoreSchema.ERROR_CLASS,
          FeatureStoreSchema.FILE_SIZE,
          FeatureStoreSchema.MODIFIED_MS);

  /** Marks a path with two current rows, which cannot be told apart: neither stands. */
  private static final Stored AMBIGUOUS = new Stored(null, null, null, null, "");

  private final Map<String, Stored> byPath;

  /** One path's current row, as far as the decision needs it, and the run that wrote it. */
  private record Stored(
      String imageId, String errorClass, Long size, Long modifiedMs, String run) {}

  /** The files a run reads, and how many listed files it need not. */
  record Split(List<ListedFile> pending, long settled) {}

  private StoredFiles(Map<String, Stored> byPath) {
    this.byPath = byPath;
  }

  /** Reads the current rows of {@code store}'s committed runs, oldest first. */
  static StoredFiles read(FeatureStore store, Configuration conf) throws IOException {
    Map<String, Stored> byPath = new HashMap<>();
    StoreLayout layout = store.layout();
    FileSystem fs = layout.root().getFileSystem(conf);
    for (String run : store.committedRuns()) {
      for (Path partition : List.of(layout.featuresPartition(run), layout.errorsPartition(run))) {
        FileStatus[] files;
        try {
          files = fs.listStatus(partition);
        } catch (FileNotFoundException e) {
          continue; // a run that added no row has no partition
        }
        for (FileStatus file : files) {
          String name = file.getPath().getName();
          if (file.isFile() && name.endsWith(".parquet") && !name.startsWith(".")) {
            readFile(file, conf, run, byPath);
          }
        }
      }
    }
    return new StoredFiles(byPath);
  }

  private static void readFile(
      FileStatus file, Configuration conf, String run, Map<String, Stored> byPath)
      throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      List<Type> fields = new ArrayList<>();
      for (String column : COLUMNS) {
        if (fileSchema.containsField(column)) {
          fields.add(fileSchema.getType(column));
        }
      }
      MessageType projection = new MessageType(fileSchema.getName(), fields);
      reader.setRequestedSchema(projection);
      MessageColumnIO columns = new ColumnIOFactory().getColumnIO(projection);
      for (PageReadStore group; (group = reader.readNextRowGroup()) != null; ) {
        RecordReader<Group> records =
            columns.getRecordReader(group, new GroupRecordConverter(projection));
        for (long i = 0; i < group.getRowCount(); i++) {
          Group row = records.read();
          Stored stored =
              new Stored(
                  text(row, FeatureStoreSchema.IMAGE_ID),
                  text(row, FeatureStoreSchema.ERROR_CLASS),
                  number(row, FeatureStoreSchema.FILE_SIZE),
                  number(row, FeatureStoreSchema.MODIFIED_MS),
                  run);
          // Runs come oldest first, so a later run's row replaces an earlier one.
          byPath.merge(
              row.getString(FeatureStoreSchema.PATH, 0),
              stored,
              (old, now) -> run.equals(old.run()) ? AMBIGUOUS : now);
        }
      }
    }
  }

  private static String text(Group row, String column) {
    return row.getType().containsField(column) && row.getFieldRepetitionCount(column) > 0
        ? row.getString(column, 0)
        : null;
  }

  private static Long number(Group row, String column) {
    return row.getType().containsField(column) && row.getFieldRepetitionCount(column) > 0
        ? row.getLong(column, 0)
        : null;
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

  @SuppressWarnings(
      "ReferenceEquality") // AMBIGUOUS is a sentinel: the very instance, not an equal one
  private static boolean settled(ListedFile file, Stored stored) {
    if (stored == null || stored == AMBIGUOUS) {
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
