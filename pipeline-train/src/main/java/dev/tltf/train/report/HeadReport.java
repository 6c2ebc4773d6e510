package dev.tltf.train.report;

import dev.tltf.train.eval.ClassificationReport;
import dev.tltf.train.eval.Evaluator.Miss;
import dev.tltf.train.model.HeadTrainer.EpochStats;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human side of a head directory: {@code report.html}, one self-contained page (pictures inlined as PNG data)
 * with the counts per class and split, the learning curves, the test metrics, the confusion matrix and the
 * misclassified images; and {@code misclassified.csv}.
 */
public final class HeadReport {
  private static final int MISSES_SHOWN = 200;

  private HeadReport() {}

  /** Everything the report shows. */
  public record Content(String title, Map<String, Object> settings, List<String> classes, long[][] counts,
      List<EpochStats> history, int bestEpoch, ClassificationReport test, List<Miss> misses, List<String> warnings) {}

  public static byte[] html(Content c) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(c.title())).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}.warn{color:#a55}")
        .append("</style></head><body>\n");
    h.append("<h1>").append(escape(c.title())).append("</h1>\n");
    for (String warning : c.warnings()) {
      h.append("<p class=\"warn\">").append(escape(warning)).append("</p>\n");
    }
    h.append("<h2>Test split</h2>\n");
    if (c.test().examples() == 0) {
      h.append("<p>The test split is empty: no test metrics.</p>\n");
    } else {
      h.append(String.format(Locale.ROOT, "<p>Accuracy <b>%.4f</b>, top-%d accuracy %.4f on %d images.</p>%n",
          c.test().accuracy(), c.test().topK(), c.test().topKAccuracy(), c.test().examples()));
      h.append("<table><tr><th class=\"l\">class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th>"
          + "</tr>\n");
      for (ClassificationReport.ClassMetrics m : c.test().perClass()) {
        h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.3f</td><td>%.3f</td><td>%.3f</td>"
            + "<td>%d</td></tr>%n", escape(m.label()), m.precision(), m.recall(), m.f1(), m.support()));
      }
      h.append("</table>\n");
      h.append(image("confusion matrix", Charts.confusionMatrix(c.test())));
      confusionTable(h, c.test());
    }
    h.append("<h2>Learning curves</h2>\n").append(image("learning curves",
        Charts.learningCurves(c.history(), c.bestEpoch())));
    h.append("<h2>Images per class and split</h2>\n<table><tr><th class=\"l\">class</th><th>train</th>"
        + "<th>validation</th><th>test</th></tr>\n");
    for (int i = 0; i < c.classes().size(); i++) {
      h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%d</td><td>%d</td><td>%d</td></tr>%n",
          escape(c.classes().get(i)), c.counts()[0][i], c.counts()[1][i], c.counts()[2][i]));
    }
    h.append("</table>\n<h2>Misclassified test images</h2>\n");
    if (c.misses().isEmpty()) {
      h.append("<p>None.</p>\n");
    } else {
      h.append("<table><tr><th class=\"l\">path</th><th class=\"l\">true</th><th class=\"l\">predicted</th>"
          + "<th>probability</th></tr>\n");
      for (Miss miss : c.misses().subList(0, Math.min(MISSES_SHOWN, c.misses().size()))) {
        h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td>"
            + "<td>%.3f</td></tr>%n", escape(miss.path()), escape(miss.trueLabel()), escape(miss.predictedLabel()),
            miss.probability()));
      }
      h.append("</table>\n");
      if (c.misses().size() > MISSES_SHOWN) {
        h.append("<p>").append(c.misses().size() - MISSES_SHOWN).append(" more in misclassified.csv.</p>\n");
      }
    }
    h.append("<h2>Settings</h2>\n<table>\n");
    c.settings().forEach((key, value) -> h.append("<tr><th class=\"l\">").append(escape(key))
        .append("</th><td class=\"l\">").append(escape(String.valueOf(value))).append("</td></tr>\n"));
    h.append("</table>\n</body></html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void confusionTable(StringBuilder h, ClassificationReport test) {
    h.append("<table><tr><th class=\"l\">true \\ predicted</th>");
    for (String label : test.labels()) {
      h.append("<th>").append(escape(label)).append("</th>");
    }
    h.append("</tr>\n");
    for (int t = 0; t < test.labels().size(); t++) {
      h.append("<tr><th class=\"l\">").append(escape(test.labels().get(t))).append("</th>");
      for (long count : test.confusion()[t]) {
        h.append("<td>").append(count).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static String image(String alt, byte[] png) {
    return "<p><img alt=\"" + alt + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png)
        + "\"></p>\n";
  }

  /** misclassified.csv: path, true_label, predicted_label, probability (RFC 4180 quoting). */
  public static byte[] misclassifiedCsv(List<Miss> misses) {
    StringBuilder csv = new StringBuilder("path,true_label,predicted_label,probability\n");
    for (Miss miss : misses) {
      csv.append(csvField(miss.path())).append(',').append(csvField(miss.trueLabel())).append(',')
          .append(csvField(miss.predictedLabel())).append(',')
          .append(String.format(Locale.ROOT, "%.6f", miss.probability())).append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String csvField(String value) {
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
