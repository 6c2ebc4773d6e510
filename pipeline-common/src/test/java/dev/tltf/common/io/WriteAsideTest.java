package dev.tltf.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.testing.FailingFileSystem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write beside, rename into place: a complete target or none, and never a temporary left over. */
class WriteAsideTest {
  @TempDir java.nio.file.Path dir;

  private final Configuration conf = new Configuration();

  private List<String> names() throws IOException {
    try (Stream<java.nio.file.Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void write(FileSystem fs, Path path, int bytes) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(new byte[bytes]);
    }
  }

  @Test
  void aFileAppearsWholeUnderItsNameAndNothingElseRemains() throws IOException {
    Path target = HadoopPaths.qualify(dir.resolve("run.json").toString(), conf);
    HadoopPaths.writeUtf8Atomically(target, "{}\n", false, conf);
    HadoopPaths.writeUtf8Atomically(target, "{\"v\": 2}\n", true, conf);
    assertEquals("{\"v\": 2}\n", Files.readString(dir.resolve("run.json"), StandardCharsets.UTF_8));
    assertEquals(List.of("run.json"), names());
  }

  @Test
  void aFileWhoseWriteFailsLeavesNeitherTargetNorTemporary() throws IOException {
    Path target = HadoopPaths.qualify(FailingFileSystem.location(dir.resolve("model.onnx")), conf);
    FileSystem fs = HadoopPaths.fileSystem(target, conf);
    IOException failure =
        assertThrows(
            IOException.class,
            () -> {
              try (WriteAside aside = WriteAside.file(fs, target, false)) {
                write(fs, aside.temp(), 2 * FailingFileSystem.LIMIT);
                aside.commit();
              }
            });
    assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
    assertEquals(List.of(), names());
  }

  @Test
  void aDirectoryWhoseWriteFailsLeavesTheOldOneAsItWas() throws IOException {
    Files.createDirectories(dir.resolve("head"));
    Files.writeString(dir.resolve("head/model.zip"), "old");
    Path target = HadoopPaths.qualify(FailingFileSystem.location(dir.resolve("head")), conf);
    FileSystem fs = HadoopPaths.fileSystem(target, conf);
    assertThrows(
        IOException.class,
        () -> {
          try (WriteAside aside = WriteAside.directory(fs, target)) {
            fs.mkdirs(aside.temp());
            write(fs, new Path(aside.temp(), "labels.txt"), 10);
            write(fs, new Path(aside.temp(), "model.zip"), 2 * FailingFileSystem.LIMIT);
            aside.commit();
          }
        });
    assertEquals(List.of("head"), names());
    assertEquals("old", Files.readString(dir.resolve("head/model.zip")));
  }

  @Test
  void aFileBuiltInsideADirectoryBecomesTheTargetAndTheRestGoes() throws IOException {
    Path target = HadoopPaths.qualify(dir.resolve("p.csv").toString(), conf);
    FileSystem fs = HadoopPaths.fileSystem(target, conf);
    try (WriteAside aside = WriteAside.directory(fs, target)) {
      write(fs, new Path(aside.temp(), "rows/part-0"), 5);
      Path file = new Path(aside.temp(), "p.csv");
      write(fs, file, 7);
      aside.commit(file);
    }
    assertEquals(List.of("p.csv"), names());
    assertEquals(7, Files.size(dir.resolve("p.csv")));
  }
}
