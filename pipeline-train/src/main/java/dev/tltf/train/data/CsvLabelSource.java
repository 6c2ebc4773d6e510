package dev.tltf.train.data;

import dev.tltf.common.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code --labels FILE.csv}: a CSV file with a header, on any Hadoop file system, naming a {@code label} column and
 * a key column: {@code image_id} (the SHA-256 of the file, robust to moves; used when both are present) or
 * {@code path} (relative to the --images root of the store, as in the store). Values are trimmed; a leading "./" of
 * a path is ignored. A key listed twice with the same label counts once; with different labels it is a conflict.
 */
public final class CsvLabelSource implements LabelSource {
  public static final String LABEL = "label";
  public static final String PATH = "path";
  public static final String IMAGE_ID = "image_id";

  private final String location;
  private final String keyColumn;
  private final Map<String, String> labels;
  private final List<String> conflicts;
  private final long blankLabels;

  private CsvLabelSource(String location, String keyColumn, Map<String, String> labels, List<String> conflicts,
      long blankLabels) {
    this.location = location;
    this.keyColumn = keyColumn;
    this.labels = labels;
    this.conflicts = conflicts;
    this.blankLabels = blankLabels;
  }

  public static CsvLabelSource read(SparkSession spark, String location) {
    Dataset<Row> csv;
    try {
      csv = spark.read().option("header", "true").option("inferSchema", "false").option("mode", "FAILFAST")
          .csv(location);
    } catch (RuntimeException e) {
      throw new InvalidInputException("Cannot read --labels " + location + ": " + firstLine(e) + ".", e);
    }
    List<String> columns = Arrays.asList(csv.columns());
    String key = columns.contains(IMAGE_ID) ? IMAGE_ID : columns.contains(PATH) ? PATH : null;
    InvalidInputException.check(key != null && columns.contains(LABEL),
        "Invalid --labels %s: its header must name a 'label' column and a 'path' or 'image_id' column; found: %s.",
        location, String.join(", ", columns));
    Map<String, Set<String>> seen = new LinkedHashMap<>();
    long blank = 0;
    List<Row> rows;
    try {
      rows = csv.select(key, LABEL).collectAsList();
    } catch (RuntimeException e) {
      throw new InvalidInputException("Cannot read --labels " + location + ": " + firstLine(e) + ".", e);
    }
    for (Row row : rows) {
      String k = normalise(row.getString(0), key);
      String label = row.isNullAt(1) ? "" : row.getString(1).strip();
      if (k == null || k.isEmpty() || label.isEmpty()) {
        blank++;
        continue;
      }
      InvalidInputException.check(!label.contains("\n"), "Invalid --labels %s: the label of '%s' spans lines.",
          location, k);
      seen.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(label);
    }
    Map<String, String> labels = new HashMap<>();
    List<String> conflicts = new ArrayList<>();
    seen.forEach((k, values) -> {
      if (values.size() == 1) {
        labels.put(k, values.iterator().next());
      } else {
        conflicts.add(k + ": " + String.join(", ", values));
      }
    });
    return new CsvLabelSource(location, key, labels, conflicts, blank);
  }

  private static String normalise(String key, String column) {
    if (key == null) {
      return null;
    }
    String k = key.strip();
    return column.equals(PATH) ? k.replaceFirst("^\\./", "") : k.toLowerCase(java.util.Locale.ROOT);
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
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
  public List<String> unknownKeys(Collection<String> storedPaths, Collection<String> storedImageIds) {
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
