package dev.tltf.features.listing;

import dev.tltf.common.error.InvalidInputException;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists the input files of --images on the driver, on any Hadoop file system, so the job knows its
 * inputs before any work. --images is one of:
 *
 * <ul>
 *   <li>a directory: its files, in sub-folders too unless {@code recursive} is off;
 *   <li>a glob ({@code hdfs:///photos/2024-*}{@code /*.jpg}): the matching files, and the files of
 *       matching directories;
 *   <li>a manifest, a file ending in .txt or .lst: one path per line (absolute, a URI, or relative
 *       to the manifest's folder; blank lines and lines starting with # are ignored);
 *   <li>a single image file.
 * </ul>
 *
 * Hidden files and folders and Spark/Hadoop side files (names starting with '.' or '_') are
 * skipped, and so are files whose extension is not allowed, except in a manifest, where every
 * listed file is an input (one that does not exist becomes an error row). Paths are kept relative
 * to the root (the directory, the glob's fixed prefix, or the manifest's folder), with '/'
 * separators, sorted; {@code limit} > 0 keeps the first that many.
 */
public final class ImageListing {
  private static final Set<String> MANIFEST_EXTENSIONS = Set.of("txt", "lst");

  private ImageListing() {}

  /** What to list and how. */
  public record Request(String images, Set<String> extensions, boolean recursive, int limit) {}

  public static List<ListedFile> list(String images, Set<String> extensions, Configuration conf) {
    return list(new Request(images, extensions, true, 0), conf);
  }

  public static List<ListedFile> list(Request request, Configuration conf) {
    String images = request.images();
    try {
      Path given = new Path(images);
      FileSystem fs = given.getFileSystem(conf);
      Map<String, ListedFile> files = new LinkedHashMap<>();
      if (isGlob(images)) {
        Path root = fs.makeQualified(fixedPrefix(given));
        FileStatus[] matches = fs.globStatus(fs.makeQualified(given));
        if (matches == null || matches.length == 0) {
          throw new InvalidInputException(
              "Cannot read --images " + images + ": the pattern matches nothing.");
        }
        for (FileStatus match : matches) {
          addTree(fs, match, root, request, files);
        }
      } else {
        Path root = fs.makeQualified(given);
        FileStatus status;
        try {
          status = fs.getFileStatus(root);
        } catch (FileNotFoundException e) {
          throw new InvalidInputException(
              "Cannot read --images " + images + ": it does not exist.");
        }
        if (status.isFile() && MANIFEST_EXTENSIONS.contains(extension(root.getName()))) {
          addManifest(fs, root, files);
        } else if (status.isFile()) {
          add(files, root.getName(), status);
        } else {
          addTree(fs, status, root, request, files);
        }
      }
      List<ListedFile> sorted = new ArrayList<>(files.values());
      sorted.sort((a, b) -> a.path().compareTo(b.path()));
      InvalidInputException.check(
          !sorted.isEmpty(),
          "Cannot read --images %s: it holds no files with the extensions %s.",
          images,
          String.join(", ", request.extensions().stream().sorted().toList()));
      return request.limit() > 0 && sorted.size() > request.limit()
          ? sorted.subList(0, request.limit())
          : sorted;
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read --images " + images + ": " + e.getMessage(), e);
    }
  }

  private static void addTree(
      FileSystem fs, FileStatus top, Path root, Request request, Map<String, ListedFile> files)
      throws IOException {
    if (top.isFile()) {
      String relative = relative(root, top.getPath());
      if (!hidden(relative) && accepted(top.getPath().getName(), request.extensions())) {
        add(files, relative, top);
      }
      return;
    }
    if ("file".equals(top.getPath().toUri().getScheme())) {
      LocalTree.walk(
          java.nio.file.Path.of(top.getPath().toUri()),
          java.nio.file.Path.of(root.toUri()),
          request,
          files);
      return;
    }
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(top.getPath(), request.recursive());
    while (it.hasNext()) {
      LocatedFileStatus status = it.next();
      String relative = relative(root, status.getPath());
      if (!hidden(relative) && accepted(status.getPath().getName(), request.extensions())) {
        add(files, relative, status);
      }
    }
  }

  private static void addManifest(FileSystem fs, Path manifest, Map<String, ListedFile> files)
      throws IOException {
    Path folder = manifest.getParent();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(fs.open(manifest), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        String entry = line.strip();
        if (entry.isEmpty() || entry.startsWith("#")) {
          continue;
        }
        boolean absolute =
            URI.create(entry.replace(" ", "%20")).getScheme() != null || entry.startsWith("/");
        Path path = absolute ? new Path(entry) : new Path(folder, entry);
        FileSystem entryFs = path.getFileSystem(fs.getConf());
        path = entryFs.makeQualified(path);
        String key = absolute ? relativeOrUri(folder, path) : entry.replaceFirst("^\\./", "");
        try {
          add(files, key, entryFs.getFileStatus(path));
        } catch (FileNotFoundException e) {
          files.putIfAbsent(
              key,
              ListedFile.unreadable(
                  key, path.toString(), "The file does not exist (it is listed in the manifest)."));
        }
      }
    }
  }

  static void add(Map<String, ListedFile> files, String relative, FileStatus status) {
    files.putIfAbsent(
        relative,
        new ListedFile(
            relative, status.getPath().toString(), status.getLen(), status.getModificationTime()));
  }

  private static String relative(Path root, Path file) {
    String prefix = root.toUri().getPath();
    prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    String absolute = file.toUri().getPath();
    return absolute.startsWith(prefix) ? absolute.substring(prefix.length()) : file.getName();
  }

  private static String relativeOrUri(Path folder, Path file) {
    String prefix = folder.toUri().getPath() + "/";
    String absolute = file.toUri().getPath();
    return absolute.startsWith(prefix) ? absolute.substring(prefix.length()) : file.toString();
  }

  static boolean isGlob(String location) {
    return location.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /**
   * The deepest directory of a glob without pattern characters: the root relative paths are taken
   * from.
   */
  private static Path fixedPrefix(Path glob) {
    Path prefix = glob;
    while (prefix != null && isGlob(prefix.toString())) {
      prefix = prefix.getParent();
    }
    return prefix == null ? new Path("/") : prefix;
  }

  static boolean hidden(String relativePath) {
    for (String part : relativePath.split("/", -1)) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  /**
   * An --extensions value ("jpg, .PNG,tiff") as lower-case extensions without dots; empty entries
   * are ignored.
   */
  public static Set<String> parseExtensions(String list) {
    Set<String> extensions = new java.util.TreeSet<>();
    for (String item : list.split(",", -1)) {
      String extension = item.strip().toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
      if (!extension.isEmpty()) {
        extensions.add(extension);
      }
    }
    return extensions;
  }

  static boolean accepted(String fileName, Set<String> extensions) {
    return extensions.contains(extension(fileName));
  }

  private static String extension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }
}
