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

/** Stage 1 of a feature run, on the executors: the content address (SHA-256) of each listed file, streamed. */
final class FileHasher implements Function<ListedFile, Row> {
  private static final long serialVersionUID = 1L;
  private final SerializableHadoopConf conf;

  FileHasher(SerializableHadoopConf conf) {
    this.conf = conf;
  }

  @Override
  public Row call(ListedFile file) {
    if (file.size() < 0) {
      return error(file, "The file does not exist (it is listed in the manifest).");
    }
    Path path = new Path(file.uri());
    try (InputStream in = path.getFileSystem(conf.get()).open(path)) {
      return RowFactory.create(file.path(), file.uri(), Sha256.hex(in), null, null);
    } catch (FileNotFoundException e) {
      return error(file, "The file vanished after it was listed.");
    } catch (IOException e) {
      return error(file, "The file could not be read: " + e.getMessage());
    }
  }

  private static Row error(ListedFile file, String reason) {
    return RowFactory.create(file.path(), file.uri(), null, reason, ErrorClass.UNREADABLE.code());
  }
}
