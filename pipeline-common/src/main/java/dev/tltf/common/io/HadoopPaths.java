package dev.tltf.common.io;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small-file I/O on any Hadoop file system (local, hdfs://, s3a://). Small files are committed the
 * way Iceberg commits metadata, through {@link WriteAside}: write a uniquely named temporary file
 * beside the target, then rename it into place, which is atomic on HDFS and local disks and never
 * leaves a half-written target.
 */
public final class HadoopPaths {
  private HadoopPaths() {}

  /**
   * The file system of {@code path}, without Hadoop's client-side checksums on local disks: our
   * small files (JSON, labels, models) carry no {@code .crc} companions, and a label file edited by
   * hand stays readable.
   */
  public static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
  }

  /**
   * Qualifies a user-given location ({@code /tmp/x}, {@code file:/…}, {@code hdfs://…}) against the
   * default FS.
   */
  public static Path qualify(String location, Configuration conf) throws IOException {
    Path path = new Path(location);
    return path.getFileSystem(conf).makeQualified(path);
  }

  public static String readUtf8(Path path, Configuration conf) throws IOException {
    FileSystem fs = fileSystem(path, conf);
    try (InputStream in = fs.open(path)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes {@code text} to {@code target} atomically. Fails if the target exists, unless {@code
   * replace}; the temporary file is removed when anything goes wrong.
   */
  public static void writeUtf8Atomically(
      Path target, String text, boolean replace, Configuration conf) throws IOException {
    FileSystem fs = fileSystem(target, conf);
    try (WriteAside aside = WriteAside.file(fs, target, replace)) {
      try (OutputStream out = fs.create(aside.temp(), false)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      aside.commit();
    }
  }

  /**
   * A uniquely named sibling of {@code target} to build a directory in before {@link
   * #moveIntoPlace}. Not a hidden name: Spark refuses to read paths starting with '.' or '_', and
   * outputs are read back before they are committed.
   */
  public static Path temporarySibling(Path target) {
    return new Path(target.getParent(), target.getName() + ".tltf-tmp-" + UUID.randomUUID());
  }

  /**
   * Makes the complete directory {@code temp} visible as {@code target} with one rename. An
   * existing target is moved aside first and deleted only once the new one is in place, so a
   * failure leaves the old one or the new one, never a mix.
   */
  public static void moveIntoPlace(FileSystem fs, Path temp, Path target) throws IOException {
    Path old = null;
    if (fs.exists(target)) {
      old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
      if (!fs.rename(target, old)) {
        throw new IOException("Cannot replace " + target + ": moving the old one aside failed");
      }
    }
    fs.mkdirs(target.getParent());
    if (!fs.rename(temp, target)) {
      if (old != null) {
        fs.rename(old, target);
      }
      throw new IOException("Cannot write " + target + ": rename from " + temp + " failed");
    }
    if (old != null) {
      fs.delete(old, true);
    }
  }

  /** Recognises an output that tltf wrote, so that --overwrite never replaces anything else. */
  @FunctionalInterface
  public interface OwnershipCheck {
    boolean writtenByTltf(FileSystem fs, Path path) throws IOException;
  }

  /**
   * Fails with one sentence when {@code location} exists and {@code overwrite} is off, or when it
   * exists and is not a tltf output of this kind ({@code ours}): --overwrite replaces tltf's own
   * outputs, never other data.
   */
  public static void checkCanCreate(
      String what, String location, boolean overwrite, OwnershipCheck ours, Configuration conf)
      throws IOException {
    Path path = qualify(location, conf);
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      return;
    }
    if (!overwrite) {
      throw new dev.tltf.common.error.InvalidInputException(
          "Cannot write "
              + what
              + " to "
              + location
              + ": it already exists; pass --overwrite to replace it.");
    }
    if (!ours.writtenByTltf(fs, path)) {
      throw new dev.tltf.common.error.InvalidInputException(
          "Cannot write "
              + what
              + " to "
              + location
              + ": it exists and was not written by tltf as "
              + what
              + ", so not even --overwrite replaces it.");
    }
  }

  /** Whether {@code path} is a file; {@code FileSystem.isFile} says the same but is deprecated. */
  public static boolean isFile(FileSystem fs, Path path) throws IOException {
    FileStatus status = statusOrNull(fs, path);
    return status != null && status.isFile();
  }

  /** Whether {@code path} is a directory ({@code FileSystem.isDirectory} is deprecated). */
  public static boolean isDirectory(FileSystem fs, Path path) throws IOException {
    FileStatus status = statusOrNull(fs, path);
    return status != null && status.isDirectory();
  }

  private static FileStatus statusOrNull(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return null;
    }
  }
}
