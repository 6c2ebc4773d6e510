package dev.tltf.common.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one benchmark step measured, as ordered {@code key = value} lines in a plain text file: each
 * step runs in its own JVM (TensorFlow and ND4J cannot share one), writes its file, and {@link
 * BenchmarkReport} reads them all.
 */
public final class BenchmarkResults {
  private final Map<String, String> values = new LinkedHashMap<>();

  public BenchmarkResults put(String key, double value) {
    values.put(key, String.format(Locale.ROOT, "%.6g", value));
    return this;
  }

  public BenchmarkResults put(String key, String value) {
    if (value.contains("\n")) {
      throw new IllegalArgumentException("Invalid value for " + key + ": it spans several lines");
    }
    values.put(key, value);
    return this;
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public double number(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "No benchmark result named " + key + "; have " + values.keySet());
    }
    return Double.parseDouble(value);
  }

  public String text(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "No benchmark result named " + key + "; have " + values.keySet());
    }
    return value;
  }

  /** Adds every entry of {@code other} (later files win). */
  public BenchmarkResults putAll(BenchmarkResults other) {
    values.putAll(other.values);
    return this;
  }

  public void write(Path file) {
    String text =
        values.entrySet().stream()
            .map(e -> e.getKey() + " = " + e.getValue())
            .collect(Collectors.joining("\n", "", "\n"));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write benchmark results " + file, e);
    }
  }

  public static BenchmarkResults read(Path file) {
    BenchmarkResults results = new BenchmarkResults();
    try {
      for (String line : Files.readAllLines(file)) {
        int equals = line.indexOf(" = ");
        if (equals > 0) {
          results.values.put(line.substring(0, equals), line.substring(equals + 3));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read benchmark results " + file, e);
    }
    return results;
  }
}
