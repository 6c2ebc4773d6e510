package dev.tltf.train.audit;

import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.io.WriteAside;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The audit directory, written whole beside its target and renamed into place (like a head
 * directory), so a killed run leaves no half-written audit; --overwrite replaces only a directory
 * that holds an audit.json.
 */
public final class AuditOutput {
  public static final String SUMMARY = "audit.json";

  private AuditOutput() {}

  public static boolean isAudit(FileSystem fs, Path path) throws IOException {
    return HadoopPaths.isDirectory(fs, path) && HadoopPaths.isFile(fs, new Path(path, SUMMARY));
  }

  public static void checkCanCreate(String location, boolean overwrite, Configuration conf)
      throws IOException {
    HadoopPaths.checkCanCreate("an audit", location, overwrite, AuditOutput::isAudit, conf);
  }

  /** Writes {@code files} (name → bytes) as the directory {@code location}. */
  public static void write(
      String location, Map<String, byte[]> files, boolean overwrite, Configuration conf)
      throws IOException {
    checkCanCreate(location, overwrite, conf);
    Path target = HadoopPaths.qualify(location, conf);
    FileSystem fs = HadoopPaths.fileSystem(target, conf);
    try (WriteAside aside = WriteAside.directory(fs, target)) {
      fs.mkdirs(aside.temp());
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        try (OutputStream out = fs.create(new Path(aside.temp(), file.getKey()), false)) {
          out.write(file.getValue());
        }
      }
      aside.commit();
    }
  }
}
