package dev.tltf.features.job;

import dev.tltf.common.cli.InvalidInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists the input files under an --images root on any Hadoop file system, on the driver, so the job knows its
 * inputs before any work. Hidden files and directories and Spark/Hadoop side files (names starting with '.' or
 * '_') are skipped; so are files whose extension is not in the allowed set. Paths are kept relative to the root,
 * with '/' separators, sorted.
 */
public final class ImageListing {
  private ImageListing() {}

  public static List<ListedFile> list(String images, Set<String> extensions, Configuration conf) {
    try {
      Path root = new Path(images);
      FileSystem fs = root.getFileSystem(conf);
      root = fs.makeQualified(root);
      FileStatus rootStatus;
      try {
        rootStatus = fs.getFileStatus(root);
      } catch (FileNotFoundException e) {
        throw new InvalidInputException("Cannot read --images " + images + ": it does not exist.");
      }
      List<ListedFile> files = new ArrayList<>();
      if (rootStatus.isFile()) {
        if (accepted(root.getName(), extensions)) {
          files.add(new ListedFile(root.getName(), root.toString(), rootStatus.getLen()));
        }
      } else {
        String prefix = root.toUri().getPath();
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
          LocatedFileStatus status = it.next();
          String absolute = status.getPath().toUri().getPath();
          String relative = absolute.startsWith(prefix) ? absolute.substring(prefix.length()) : status.getPath().getName();
          if (!hidden(relative) && accepted(status.getPath().getName(), extensions)) {
            files.add(new ListedFile(relative, status.getPath().toString(), status.getLen()));
          }
        }
      }
      files.sort((a, b) -> a.path().compareTo(b.path()));
      InvalidInputException.check(!files.isEmpty(),
          "Cannot read --images %s: it holds no files with the extensions %s.", images, String.join(", ", extensions));
      return files;
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read --images " + images + ": " + e.getMessage(), e);
    }
  }

  static boolean hidden(String relativePath) {
    for (String part : relativePath.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  static boolean accepted(String fileName, Set<String> extensions) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 && extensions.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
