package dev.tltf.common.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Row counts of a Parquet directory from the file footers alone (no data read). */
final class ParquetCounts {
  private ParquetCounts() {}

  static long rows(FileSystem fs, Path directory) throws IOException {
    long rows = 0;
    FileStatus[] files;
    try {
      files = fs.listStatus(directory);
    } catch (FileNotFoundException e) {
      return 0;
    }
    for (FileStatus file : files) {
      String name = file.getPath().getName();
      if (file.isFile()
          && name.endsWith(".parquet")
          && !name.startsWith(".")
          && !name.startsWith("_")) {
        try (ParquetFileReader reader =
            ParquetFileReader.open(HadoopInputFile.fromStatus(file, fs.getConf()))) {
          rows += reader.getRecordCount();
        }
      }
    }
    return rows;
  }
}
