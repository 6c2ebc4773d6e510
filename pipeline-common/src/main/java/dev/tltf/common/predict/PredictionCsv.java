package dev.tltf.common.predict;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Row;

/**
 * predictions.csv: one UTF-8 file, header {@code path, image_id, label_1, probability_1, …,
 * label_k, probability_k, error}, quoted as RFC 4180 (and pandas' {@code to_csv}) quote: a field
 * holding a comma, a quote or a line break is put in double quotes, a quote inside doubled. Lines
 * end with LF, as pandas writes them; every RFC 4180 reader accepts that.
 */
final class PredictionCsv {
  static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').build();

  /** The header tltf writes; how --overwrite recognises a predictions file as tltf's. */
  private static final Pattern HEADER =
      Pattern.compile("path,image_id,(label_\\d+,probability_\\d+,)*error");

  private PredictionCsv() {}

  static List<String> header(int k) {
    List<String> header = new ArrayList<>(List.of("path", "image_id"));
    for (int i = 1; i <= k; i++) {
      header.add("label_" + i);
      header.add("probability_" + i);
    }
    header.add("error");
    return header;
  }

  /** Writes {@code rows} ({@link PredictionRows#SCHEMA}) to {@code out}, which it closes. */
  static void write(OutputStream out, Iterator<Row> rows, int k) throws IOException {
    try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, FORMAT)) {
      printer.printRecord(header(k));
      List<String> record = new ArrayList<>(3 + 2 * k);
      while (rows.hasNext()) {
        Row row = rows.next();
        record.clear();
        record.add(row.getString(row.fieldIndex("path")));
        record.add(row.getString(row.fieldIndex("image_id")));
        List<Row> top =
            row.isNullAt(row.fieldIndex("top_k"))
                ? List.of()
                : row.getList(row.fieldIndex("top_k"));
        for (int i = 0; i < k; i++) {
          record.add(i < top.size() ? top.get(i).getString(0) : null);
          record.add(i < top.size() ? plain(top.get(i).getFloat(1)) : null);
        }
        record.add(row.getString(row.fieldIndex("error")));
        printer.printRecord(record);
      }
    }
  }

  /**
   * The shortest decimal that reads back as the same float, without an exponent (1.0E-5 → 0.00001).
   */
  static String plain(float value) {
    return new BigDecimal(Float.toString(value)).stripTrailingZeros().toPlainString();
  }

  /** Whether the file starts with the header tltf writes (read at most one short line). */
  static boolean hasOurHeader(InputStream in) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
    char[] start = new char[4096];
    int n = reader.read(start);
    if (n <= 0) {
      return false;
    }
    String text = new String(start, 0, n);
    int end = text.indexOf('\n');
    return end >= 0 && HEADER.matcher(text.substring(0, end).strip()).matches();
  }
}
