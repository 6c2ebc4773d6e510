package dev.tltf.features.job;

import dev.tltf.common.io.SerializableHadoopConf;
import dev.tltf.common.io.Sha256;
import dev.tltf.features.image.ErrorClass;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Stage 1 of a feature run, on the executors: the content address (SHA-256) of each listed file, streamed. Files
 * over the size limit are refused here, unread.
 */
final class FileHasher implements Function<ListedFile, Row> {
  private static final long serialVersionUID = 1L;
  private final SerializableHadoopConf conf;
  private final long maxFileBytes;

  FileHasher(SerializableHadoopConf conf, long maxFileBytes) {
    this.conf = conf;
    this.maxFileBytes = maxFileBytes;
  }

  @Override
  public Row call(ListedFile file) {
    if (file.problem() != null) {
      return error(file, file.problem(), ErrorClass.UNREADABLE);
    }
    if (file.size() > maxFileBytes) {
      return error(file, String.format("The file has %,d bytes, more than the limit of %,d.", file.size(),
          maxFileBytes), ErrorClass.FILE_TOO_LARGE);
    }
    Path path = new Path(file.uri());
    try (InputStream in = path.getFileSystem(conf.get()).open(path)) {
      return RowFactory.create(file.path(), file.uri(), Sha256.hex(in), null, null);
    } catch (FileNotFoundException e) {
      return error(file, "The file vanished after it was listed.", ErrorClass.UNREADABLE);
    } catch (IOException e) {
      return error(file, "The file could not be read: " + e.getMessage(), ErrorClass.UNREADABLE);
    }
  }

  private static Row error(ListedFile file, String reason, ErrorClass errorClass) {
    return RowFactory.create(file.path(), file.uri(), null, reason, errorClass.code());
  }
}
