package dev.tltf.train.report;

import dev.tltf.common.io.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's settings as (name, value) rows a person reads: keys in words ({@code learningRate} →
 * "learning rate"), nested values (records such as the label policy) one row per field ("label
 * policy: unknown key" → "drop"), lists joined with commas, enums in lower case; never Java's
 * {@code toString} of a record.
 */
final class SettingsTable {
  private SettingsTable() {}

  record Row(String name, String value) {}

  static List<Row> rows(Map<String, Object> settings) {
    List<Row> rows = new ArrayList<>();
    settings.forEach(
        (key, value) -> add(rows, words(key), Json.mapper().convertValue(value, Object.class)));
    return rows;
  }

  private static void add(List<Row> rows, String name, Object value) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, inner) -> add(rows, name + ": " + words(String.valueOf(key)), inner));
    } else if (value instanceof Collection<?> list) {
      List<String> items = new ArrayList<>();
      for (Object item : list) {
        items.add(
            item instanceof Map<?, ?> || item instanceof Collection<?>
                ? Json.write(item).replaceAll("\\s+", " ")
                : scalar(item));
      }
      rows.add(new Row(name, items.isEmpty() ? "none" : String.join(", ", items)));
    } else {
      rows.add(new Row(name, scalar(value)));
    }
  }

  private static String scalar(Object value) {
    if (value == null) {
      return "none";
    }
    String text = String.valueOf(value);
    // Enum constants (DROP, FAIL, ADAM) read better in lower case, as the flags take them.
    return text.matches("[A-Z][A-Z0-9_]*") ? text.toLowerCase(Locale.ROOT) : text;
  }

  /** {@code learningRate} → "learning rate", {@code l2} → "l2", {@code image_id} → "image id". */
  static String words(String key) {
    return key.replace('_', ' ').replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  /** For tests: the rows as a map. */
  static Map<String, String> asMap(Map<String, Object> settings) {
    Map<String, String> map = new LinkedHashMap<>();
    rows(settings).forEach(r -> map.put(r.name(), r.value()));
    return map;
  }
}
