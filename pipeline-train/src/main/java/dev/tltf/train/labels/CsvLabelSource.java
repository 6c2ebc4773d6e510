package dev.tltf.train.labels;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.io.HadoopPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code --labels FILE.csv}: a CSV file with a header, on any Hadoop file system (or a directory or
 * glob of such files), naming a {@code label} column and a key column: {@code image_id} (the
 * SHA-256 of the file, robust to moves; used when both are present) or {@code path} (relative to
 * the --images root of the store, as in the store).
 *
 * <p>The file is read as RFC 4180, the way pandas' {@code to_csv} and spreadsheets write it: a
 * quoted field may hold commas, line breaks and quotes (doubled, {@code "a,""b"} is {@code a,"b});
 * UTF-8, with or without a byte-order mark; other columns (pandas' unnamed index column too) are
 * ignored. Values are trimmed; a leading "./" of a path is ignored. A key listed twice with the
 * same label counts once; with different labels it is a conflict.
 */
public final class CsvLabelSource implements LabelSource {
  public static final String LABEL = "label";
  public static final String PATH = "path";
  public static final String IMAGE_ID = "image_id";

  /**
   * RFC 4180 with the header taken from the first record; empty and duplicate empty column names
   * allowed.
   */
  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setAllowMissingColumnNames(true)
          .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY)
          .setIgnoreEmptyLines(true)
          .build();

  private final String location;
  private final String keyColumn;
  private final Map<String, String> labels;
  private final List<String> conflicts;
  private final long blankLabels;

  private CsvLabelSource(
      String location,
      String keyColumn,
      Map<String, String> labels,
      List<String> conflicts,
      long blankLabels) {
    this.location = location;
    this.keyColumn = keyColumn;
    this.labels = labels;
    this.conflicts = conflicts;
    this.blankLabels = blankLabels;
  }

  public static CsvLabelSource read(SparkSession spark, String location) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Map<String, Set<String>> seen = new LinkedHashMap<>();
    long[] blank = {0};
    String key = null;
    for (Path file : files(location, conf)) {
      String fileKey = readFile(file, location, conf, seen, blank);
      InvalidInputException.check(
          key == null || key.equals(fileKey),
          "Invalid --labels %s: its files are keyed by different columns (%s and %s); use one.",
          location,
          key,
          fileKey);
      key = fileKey;
    }
    Map<String, String> labels = new HashMap<>();
    List<String> conflicts = new ArrayList<>();
    seen.forEach(
        (k, values) -> {
          if (values.size() == 1) {
            labels.put(k, values.iterator().next());
          } else {
            conflicts.add(k + ": " + String.join(", ", values));
          }
        });
    return new CsvLabelSource(location, key, labels, conflicts, blank[0]);
  }

  /**
   * The CSV files at {@code location}: one file, the visible files of a directory, or a glob's
   * matches.
   */
  private static List<Path> files(String location, Configuration conf) {
    try {
      Path path = HadoopPaths.qualify(location, conf);
      FileSystem fs = HadoopPaths.fileSystem(path, conf);
      FileStatus[] matches = fs.globStatus(path);
      List<Path> files = new ArrayList<>();
      for (FileStatus match : matches == null ? new FileStatus[0] : matches) {
        if (match.isFile()) {
          files.add(match.getPath());
        } else {
          for (FileStatus child : fs.listStatus(match.getPath())) {
            String name = child.getPath().getName();
            if (child.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
              files.add(child.getPath());
            }
          }
        }
      }
      InvalidInputException.check(
          !files.isEmpty(), "Cannot read --labels %s: no such file.", location);
      files.sort(null);
      return files;
    } catch (IOException e) {
      throw new InvalidInputException(
          "Cannot read --labels " + location + ": " + e.getMessage() + ".", e);
    }
  }

  /** Adds the (key, label) rows of one file to {@code seen}; returns its key column. */
  private static String readFile(
      Path file, String location, Configuration conf, Map<String, Set<String>> seen, long[] blank) {
    try (Reader reader =
            withoutByteOrderMark(
                new BufferedReader(
                    new InputStreamReader(
                        HadoopPaths.fileSystem(file, conf).open(file), StandardCharsets.UTF_8)));
        CSVParser parser = FORMAT.parse(reader)) {
      List<String> columns = parser.getHeaderNames().stream().map(String::strip).toList();
      String key = columns.contains(IMAGE_ID) ? IMAGE_ID : columns.contains(PATH) ? PATH : null;
      InvalidInputException.check(
          key != null && columns.contains(LABEL),
          "Invalid --labels %s: its header must name a 'label' column and a 'path' or 'image_id' column; found: %s.",
          location,
          String.join(", ", columns));
      int keyIndex = columns.indexOf(key);
      int labelIndex = columns.indexOf(LABEL);
      for (CSVRecord record : parser) {
        InvalidInputException.check(
            record.size() == columns.size(),
            "Invalid --labels %s: row %d (line %d) has %d fields, its header %d.",
            location,
            record.getRecordNumber(),
            parser.getCurrentLineNumber(),
            record.size(),
            columns.size());
        String k = normalise(record.get(keyIndex), key);
        String label = record.get(labelIndex).strip();
        if (k.isEmpty() || label.isEmpty()) {
          blank[0]++;
          continue;
        }
        InvalidInputException.check(
            !label.contains("\n") && !label.contains("\r"),
            "Invalid --labels %s: the label of '%s' spans lines.",
            location,
            k);
        seen.computeIfAbsent(k, x -> new TreeSet<>()).add(label);
      }
      return key;
    } catch (IOException
        | UncheckedIOException
        | IllegalArgumentException
        | IllegalStateException e) {
      throw new InvalidInputException(
          "Cannot read --labels " + location + ": " + firstLine(e) + ".", e);
    }
  }

  /**
   * Excel's "CSV UTF-8" and pandas' {@code encoding="utf-8-sig"} start with U+FEFF; it is not part
   * of the header.
   */
  private static Reader withoutByteOrderMark(BufferedReader reader) throws IOException {
    reader.mark(1);
    if (reader.read() != '\uFEFF') {
      reader.reset();
    }
    return reader;
  }

  private static String normalise(String key, String column) {
    String k = key.strip();
    return column.equals(PATH) ? k.replaceFirst("^\\./", "") : k.toLowerCase(java.util.Locale.ROOT);
  }

  private static String firstLine(Throwable e) {
    Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    String message = String.valueOf(cause.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  public String keyColumn() {
    return keyColumn;
  }

  @Override
  public String labelOf(String path, String imageId) {
    return labels.get(keyColumn.equals(PATH) ? path : imageId);
  }

  @Override
  public String describe() {
    return location + " (keyed by " + keyColumn + ")";
  }

  @Override
  public List<String> unknownKeys(
      Collection<String> storedPaths, Collection<String> storedImageIds) {
    Set<String> stored = new HashSet<>(keyColumn.equals(PATH) ? storedPaths : storedImageIds);
    return labels.keySet().stream().filter(k -> !stored.contains(k)).sorted().toList();
  }

  @Override
  public List<String> conflicts() {
    return conflicts;
  }

  @Override
  public long blankLabels() {
    return blankLabels;
  }
}
