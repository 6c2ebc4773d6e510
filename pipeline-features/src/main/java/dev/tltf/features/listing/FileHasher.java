package dev.tltf.features.listing;

import dev.tltf.common.io.SerializableHadoopConf;
import dev.tltf.common.io.Sha256;
import dev.tltf.features.image.ErrorClass;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * Stage 1 of a feature run, on the executors: the content address (SHA-256) of each listed file,
 * streamed. Files over the size limit are refused here, unread. A file whose stored row still
 * matches its listing ({@link #unchanged}) keeps the stored address, unread. {@code opened} and
 * {@code bytesRead} (null when not counted) count what was actually read; a task that is retried
 * counts again.
 */
public final class FileHasher implements Function<ListedFile, Row> {
  private static final long serialVersionUID = 1L;
  private final SerializableHadoopConf conf;
  private final long maxFileBytes;
  private final LongAccumulator opened;
  private final LongAccumulator bytesRead;

  public FileHasher(SerializableHadoopConf conf, long maxFileBytes) {
    this(conf, maxFileBytes, null, null);
  }

  public FileHasher(
      SerializableHadoopConf conf,
      long maxFileBytes,
      LongAccumulator opened,
      LongAccumulator bytesRead) {
    this.conf = conf;
    this.maxFileBytes = maxFileBytes;
    this.opened = opened;
    this.bytesRead = bytesRead;
  }

  @Override
  public Row call(ListedFile file) {
    if (file.problem() != null) {
      return error(file, file.problem(), ErrorClass.UNREADABLE);
    }
    if (file.size() > maxFileBytes) {
      return error(
          file,
          String.format(
              "The file has %,d bytes, more than the limit of %,d.", file.size(), maxFileBytes),
          ErrorClass.FILE_TOO_LARGE);
    }
    Path path = new Path(file.uri());
    try (CountingStream in = new CountingStream(path.getFileSystem(conf.get()).open(path))) {
      if (opened != null) {
        opened.add(1);
      }
      try {
        return hashed(file, Sha256.hex(in));
      } finally {
        if (bytesRead != null) {
          bytesRead.add(in.count);
        }
      }
    } catch (FileNotFoundException e) {
      return error(file, "The file vanished after it was listed.", ErrorClass.UNREADABLE);
    } catch (IOException e) {
      return error(file, "The file could not be read: " + e.getMessage(), ErrorClass.UNREADABLE);
    }
  }

  /**
   * The row of a file whose size and modification time match its stored row: the stored address,
   * not read.
   */
  public static Row unchanged(ListedFile file, String storedId) {
    return hashed(file, storedId);
  }

  private static Row hashed(ListedFile file, String imageId) {
    return RowFactory.create(
        file.path(), file.uri(), imageId, null, null, file.storedSize(), file.storedModifiedMs());
  }

  private static Row error(ListedFile file, String reason, ErrorClass errorClass) {
    return RowFactory.create(
        file.path(),
        file.uri(),
        null,
        reason,
        errorClass.code(),
        file.storedSize(),
        file.storedModifiedMs());
  }

  /** Counts the bytes the hash consumed. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count += Math.max(0, n);
      return n;
    }
  }
}
