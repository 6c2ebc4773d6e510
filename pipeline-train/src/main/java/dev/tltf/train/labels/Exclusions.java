package dev.tltf.train.labels;

import dev.tltf.common.error.InvalidInputException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code train-head --exclude FILE.csv}: images to leave out of training, e.g. an audit's {@code
 * suspects.csv} or {@code outliers.csv} (or a filtered copy). A CSV file with a header naming an
 * {@code image_id} column (used when present: it names the bytes, so every path of that image is
 * left out) or a {@code path} column; an optional {@code reason} column is counted per value for
 * the head's metrics ("how many and why").
 */
public final class Exclusions {
  public static final Exclusions NONE = new Exclusions(null, null, Map.of());

  private final String location;
  private final String keyColumn;

  /** Key → reason. */
  private final Map<String, String> keys;

  private final Map<String, Long> excludedByReason = new TreeMap<>();
  private long excluded;

  private Exclusions(String location, String keyColumn, Map<String, String> keys) {
    this.location = location;
    this.keyColumn = keyColumn;
    this.keys = keys;
  }

  /** The --exclude value that names no file (the default in conf/). */
  public static final String NO_FILE = "none";

  public static Exclusions read(SparkSession spark, String location) {
    if (location == null || location.isBlank() || NO_FILE.equals(location.strip())) {
      return NONE;
    }
    List<Row> rows;
    String key;
    boolean hasReason;
    try {
      Dataset<Row> csv =
          spark
              .read()
              .option("header", "true")
              .option("inferSchema", "false")
              .option("mode", "FAILFAST")
              .csv(location);
      List<String> columns = Arrays.asList(csv.columns());
      key =
          columns.contains(CsvLabelSource.IMAGE_ID)
              ? CsvLabelSource.IMAGE_ID
              : columns.contains(CsvLabelSource.PATH) ? CsvLabelSource.PATH : null;
      InvalidInputException.check(
          key != null,
          "Invalid --exclude %s: its header must name an 'image_id' or a 'path' "
              + "column; found: %s.",
          location,
          String.join(", ", columns));
      hasReason = columns.contains("reason");
      rows = (hasReason ? csv.select(key, "reason") : csv.select(key)).collectAsList();
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new InvalidInputException(
          "Cannot read --exclude " + location + ": " + message + ".", e);
    }
    Map<String, String> keys = new HashMap<>();
    for (Row row : rows) {
      if (row.isNullAt(0) || row.getString(0).isBlank()) {
        continue;
      }
      String k = row.getString(0).strip();
      k =
          key.equals(CsvLabelSource.PATH)
              ? k.replaceFirst("^\\./", "")
              : k.toLowerCase(Locale.ROOT);
      String reason =
          hasReason && !row.isNullAt(1) && !row.getString(1).isBlank()
              ? row.getString(1).strip()
              : "listed in " + location;
      keys.putIfAbsent(k, reason);
    }
    return new Exclusions(location, key, keys);
  }

  /** Whether the stored row is excluded; counts it (per reason) when it is. */
  public synchronized boolean excludes(String path, String imageId) {
    if (keys.isEmpty()) {
      return false;
    }
    String reason = keys.get(CsvLabelSource.PATH.equals(keyColumn) ? path : imageId);
    if (reason == null) {
      return false;
    }
    excluded++;
    excludedByReason.merge(reason, 1L, Long::sum);
    return true;
  }

  /** What was left out and why, for metrics.json. */
  public synchronized Map<String, Object> report() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("file", location);
    report.put("keyedBy", keyColumn);
    report.put("listed", keys.size());
    report.put("excludedImages", excluded);
    report.put("byReason", new TreeMap<>(excludedByReason));
    return report;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }
}
