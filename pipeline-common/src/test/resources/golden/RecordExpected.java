import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes expected.json for a golden set, run by make-golden.sh as a single-file source program
 * (java RecordExpected.java DIR) on Spark's own classpath. It reads the Parquet files with plain
 * Spark and labels.txt as text, never through tltf's readers, so the golden tests compare tltf's
 * readers with values that tltf's readers did not produce.
 */
public final class RecordExpected {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    StringBuilder json = new StringBuilder("{\n");
    json.append("  \"features\": [\n");
    List<String> entries = new ArrayList<>();
    for (Row row :
        spark
            .read()
            .parquet(dir.resolve("store/features").toString())
            .orderBy("path")
            .collectAsList()) {
      List<Float> values = row.getList(row.fieldIndex("features"));
      ByteBuffer bytes = ByteBuffer.allocate(4 * values.size()); // big-endian float32, in order
      double sum = 0;
      for (float value : values) {
        bytes.putFloat(value);
        sum += value;
      }
      entries.add(
          String.format(
              Locale.ROOT,
              "    {\"path\": %s, \"image_id\": %s, \"width\": %d, \"height\": %d, \"dimension\": %d,"
                  + " \"first\": [%s, %s, %s, %s], \"sum\": %s, \"sha256_float32_be\": %s}",
              quote(row.getString(row.fieldIndex("path"))),
              quote(row.getString(row.fieldIndex("image_id"))),
              row.getInt(row.fieldIndex("width")),
              row.getInt(row.fieldIndex("height")),
              values.size(),
              values.get(0),
              values.get(1),
              values.get(2),
              values.get(3),
              Double.toString(sum),
              quote(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array())))));
    }
    json.append(String.join(",\n", entries)).append("\n  ],\n");

    entries.clear();
    for (Row row :
        spark.read().parquet(dir.resolve("store/errors").toString()).orderBy("path").collectAsList()) {
      entries.add(
          String.format(
              "    {\"path\": %s, \"image_id\": %s, \"error_class\": %s, \"reason\": %s}",
              quote(row.getString(row.fieldIndex("path"))),
              row.isNullAt(row.fieldIndex("image_id"))
                  ? "null"
                  : quote(row.getString(row.fieldIndex("image_id"))),
              quote(row.getString(row.fieldIndex("error_class"))),
              quote(row.getString(row.fieldIndex("reason")))));
    }
    json.append("  \"errors\": [\n").append(String.join(",\n", entries)).append("\n  ],\n");

    List<String> labels = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("head/labels.txt"), StandardCharsets.UTF_8)) {
      if (!line.isEmpty()) {
        labels.add(quote(line));
      }
    }
    json.append("  \"labels\": [").append(String.join(", ", labels)).append("],\n");

    entries.clear();
    for (Row row :
        spark
            .read()
            .parquet(dir.resolve("predictions.parquet").toString())
            .orderBy("path")
            .collectAsList()) {
      List<String> top = new ArrayList<>();
      for (Row ranked : row.<Row>getList(row.fieldIndex("top_k"))) {
        top.add(
            String.format(
                Locale.ROOT,
                "{\"label\": %s, \"probability\": %s}",
                quote(ranked.getString(0)),
                Float.toString(ranked.getFloat(1))));
      }
      entries.add(
          String.format(
              "    {\"path\": %s, \"image_id\": %s, \"top_k\": [%s]}",
              quote(row.getString(row.fieldIndex("path"))),
              quote(row.getString(row.fieldIndex("image_id"))),
              String.join(", ", top)));
    }
    json.append("  \"predictions\": [\n").append(String.join(",\n", entries)).append("\n  ]\n}\n");
    Files.writeString(dir.resolve("expected.json"), json.toString(), StandardCharsets.UTF_8);
    spark.stop();
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
