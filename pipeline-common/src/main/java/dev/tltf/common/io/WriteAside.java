package dev.tltf.common.io;

import java.io.Closeable;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Write beside, then rename into place: the one way tltf commits an output (Iceberg's metadata
 * commit). The content is written under a unique temporary name beside the target, and only a
 * complete one is renamed onto it, which is atomic on HDFS and local disks; whatever is left of the
 * temporary is deleted on {@link #close()}, so a failed write leaves neither a half-written target
 * nor its temporary. (On S3 a rename is a copy: the target appears whole or not at all, not at
 * once.) Use it in try-with-resources; a cleanup failure is added to the write's own as suppressed.
 *
 * <pre>{@code
 * try (WriteAside aside = WriteAside.directory(fs, target)) {
 *   write the whole directory at aside.temp();
 *   aside.commit();
 * }
 * }</pre>
 */
public final class WriteAside implements Closeable {
  private final FileSystem fs;
  private final Path target;
  private final Path temp;
  private final boolean directory;
  private final boolean replace;

  private WriteAside(FileSystem fs, Path target, Path temp, boolean directory, boolean replace) {
    this.fs = fs;
    this.target = target;
    this.temp = temp;
    this.directory = directory;
    this.replace = replace;
  }

  /**
   * One file (metadata, a model): a hidden temporary name, so that readers listing the folder never
   * take it for data. {@link #commit()} refuses an existing target unless {@code replace}.
   */
  public static WriteAside file(FileSystem fs, Path target, boolean replace) {
    Path temp =
        new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    return new WriteAside(fs, target, temp, false, replace);
  }

  /**
   * A directory (a head, an audit, predictions), or a file built inside one. Not a hidden name:
   * Spark refuses to read paths starting with '.' or '_', and outputs are read back before they are
   * committed. {@link #commit()} replaces an existing target only once the new one is in place
   * ({@link HadoopPaths#moveIntoPlace}); the caller decides beforehand whether it may.
   */
  public static WriteAside directory(FileSystem fs, Path target) {
    return new WriteAside(fs, target, HadoopPaths.temporarySibling(target), true, true);
  }

  /** Where to write the content. */
  public Path temp() {
    return temp;
  }

  /** Makes the complete temporary the target. */
  public void commit() throws IOException {
    commit(temp);
  }

  /**
   * Makes {@code built}, the temporary or a file or folder inside it, the target; the rest of the
   * temporary goes on {@link #close()}.
   */
  public void commit(Path built) throws IOException {
    if (directory) {
      HadoopPaths.moveIntoPlace(fs, built, target);
      return;
    }
    if (replace && fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(built, target)) {
      throw new IOException(
          "Cannot commit "
              + target
              + ": rename from "
              + built
              + " failed"
              + (fs.exists(target) ? " (the target already exists)" : ""));
    }
  }

  /** Deletes what is left of the temporary: all of it after a failure, nothing after a commit. */
  @Override
  public void close() throws IOException {
    if (fs.exists(temp)) {
      fs.delete(temp, true);
    }
  }
}
