package dev.tltf.features.listing;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a local directory tree with java.nio instead of Hadoop's local file system, which silently
 * drops broken links and follows directory links in circles. Links are followed; a directory
 * reached twice (a link loop) is listed once; a file name that cannot be opened (broken link, link
 * loop, not a regular file) is still listed, with the problem its error row will state.
 */
final class LocalTree {
  private static final Logger LOG = LoggerFactory.getLogger(LocalTree.class);
  private static final int MAX_DEPTH = 256;

  private LocalTree() {}

  static void walk(Path top, Path root, ImageListing.Request request, Map<String, ListedFile> files)
      throws IOException {
    Files.walkFileTree(
        top,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        request.recursive() ? MAX_DEPTH : 1,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            return !dir.equals(top) && ImageListing.hidden(relative(root, dir))
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            String relative = relative(root, file);
            if (ImageListing.hidden(relative)
                || !ImageListing.accepted(file.getFileName().toString(), request.extensions())) {
              return FileVisitResult.CONTINUE;
            }
            String uri = new org.apache.hadoop.fs.Path(file.toUri()).toString();
            if (attributes.isRegularFile()) {
              files.putIfAbsent(
                  relative,
                  new ListedFile(
                      relative, uri, attributes.size(), attributes.lastModifiedTime().toMillis()));
            } else if (Files.isSymbolicLink(file) && !Files.exists(file)) {
              files.putIfAbsent(
                  relative,
                  ListedFile.unreadable(
                      relative,
                      uri,
                      "The file is a symbolic link to nothing (its target is missing)."));
            } else if (!attributes.isDirectory()) {
              files.putIfAbsent(
                  relative,
                  ListedFile.unreadable(
                      relative, uri, "The file is not a regular file (a device, pipe or socket)."));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            String relative = relative(root, file);
            if (e instanceof FileSystemLoopException) {
              LOG.warn(
                  "Not listing {} again: a symbolic link leads back to a folder already listed",
                  file);
            } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
              LOG.warn("Cannot list the folder {}: {}", file, e.getMessage());
            } else if (!ImageListing.hidden(relative)
                && ImageListing.accepted(file.getFileName().toString(), request.extensions())) {
              files.putIfAbsent(
                  relative,
                  ListedFile.unreadable(
                      relative,
                      new org.apache.hadoop.fs.Path(file.toUri()).toString(),
                      "The file cannot be opened ("
                          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                          + ")."));
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }
}
