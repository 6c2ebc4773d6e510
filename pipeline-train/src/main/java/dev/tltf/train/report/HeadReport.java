package dev.tltf.train.report;

import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.store.RandomWeightsWarning;
import dev.tltf.common.thumbnail.Thumbnails;
import dev.tltf.train.eval.ClassificationReport;
import dev.tltf.train.eval.ClassificationReport.ClassMetrics;
import dev.tltf.train.eval.Evaluator.Miss;
import dev.tltf.train.model.HeadTrainer.EpochStats;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The human side of a head directory: {@code report.html}, one self-contained page (pictures
 * inlined as PNG data) that reads on a laptop and on a phone, and {@code misclassified.csv}. From
 * the top: what the head is, a warning when its features came from random weights, the classes it
 * mostly misses, recall per class, the confusion matrix, the L2 choice of {@code --l2 auto},
 * learning curves, counts, misclassified images (with thumbnails of the originals, the same {@link
 * Thumbnails} as the audit report) and the settings.
 */
public final class HeadReport {
  private static final int MISSES_SHOWN = 200;

  /**
   * A class whose test recall is below this is "mostly missed" and named at the top of the page.
   */
  static final double LOW_RECALL = 0.5;

  private HeadReport() {}

  /**
   * Everything the report shows.
   *
   * @param name the head's name (its directory name, or its name in a sweep)
   * @param fingerprint the backbone its vectors came from (random weights get a warning at the top)
   * @param metrics what metrics.json holds; its {@code l2_path} (each L2 that {@code --l2 auto}
   *     tried: {@code l2, validation_accuracy, validation_loss, iterations, chosen}) becomes a
   *     table when present
   */
  public record Content(
      String name,
      Map<String, Object> settings,
      List<String> classes,
      long[][] counts,
      List<EpochStats> history,
      int bestEpoch,
      ClassificationReport test,
      List<Miss> misses,
      List<String> warnings,
      BackboneFingerprint fingerprint,
      Map<String, Object> metrics) {}

  private static final String STYLE =
      String.join(
          "",
          "*{box-sizing:border-box}",
          "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;padding:1.2em;max-width:1100px;",
          "color:#222;line-height:1.45}",
          "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}",
          ".sub{color:#555;margin-top:0}code{font-size:.95em;overflow-wrap:anywhere}",
          ".scroll{overflow-x:auto;max-width:100%}",
          "table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;",
          "vertical-align:top}th{background:#f3f3f3}td.l,th.l{text-align:left;overflow-wrap:break-word;min-width:6em}",
          "img{max-width:100%;height:auto}td.t{padding:2px;text-align:center}td.t img{display:block;max-width:",
          Thumbnails.SIZE + "px}",
          ".alert{border-left:6px solid #c62828;background:#fdecea;padding:.7em 1em;margin:1em 0;font-weight:600}",
          ".note{border-left:6px solid #ef8f00;background:#fff4e0;padding:.6em 1em;margin:1em 0}",
          ".big{font-size:1.3em}.low td{background:#fdecea}.kept td{background:#e8f5e9;font-weight:600}",
          "td.bar{min-width:120px;width:35%;text-align:left}td.bar span{display:block;height:1em;background:#1f77b4}",
          ".low td.bar span{background:#c62828}td.d{font-weight:700}",
          "@media (max-width:600px){body{padding:.7em}table{font-size:.88em}td,th{padding:2px 5px}",
          "td.bar{min-width:50px}td.l,th.l{min-width:5em}}");

  /**
   * The page; {@code thumbnails} draws the misclassified test images (placeholders where an
   * original is missing).
   */
  public static byte[] html(Content c, Thumbnails thumbnails) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .append(escape(c.name()))
        .append(" · tltf head report</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    h.append("<h1>Head report: <code>").append(escape(c.name())).append("</code></h1>\n");
    h.append(
        String.format(
            Locale.ROOT,
            "<p class=\"sub\">A softmax head over %d classes, on %s.</p>%n",
            c.classes().size(),
            escape(c.fingerprint().describe())));
    RandomWeightsWarning.of(c.fingerprint())
        .ifPresent(
            w ->
                h.append("<p class=\"alert\" id=\"random-weights\">")
                    .append(escape(w))
                    .append("</p>\n"));
    for (String warning : c.warnings()) {
      h.append("<p class=\"note\">").append(escape(warning)).append("</p>\n");
    }
    h.append("<h2>Test split</h2>\n");
    if (c.test().examples() == 0) {
      h.append("<p>The test split is empty: no test metrics.</p>\n");
    } else {
      testMetrics(h, c.test());
    }
    l2Path(h, c.metrics());
    h.append("<h2>Learning curves</h2>\n")
        .append(image("learning curves", Charts.learningCurves(c.history(), c.bestEpoch())));
    counts(h, c);
    misses(h, c.misses(), thumbnails);
    h.append("<h2>Settings</h2>\n<div class=\"scroll\"><table>\n");
    h.append("<tr><th class=\"l\">backbone</th><td class=\"l\">")
        .append(escape(c.fingerprint().describe()))
        .append("</td></tr>\n");
    for (SettingsTable.Row row : SettingsTable.rows(c.settings())) {
      h.append("<tr><th class=\"l\">")
          .append(escape(row.name()))
          .append("</th><td class=\"l\">")
          .append(escape(row.value()))
          .append("</td></tr>\n");
    }
    h.append("</table></div>\n</body></html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void testMetrics(StringBuilder h, ClassificationReport test) {
    h.append(
        String.format(
            Locale.ROOT,
            "<p class=\"big\">Accuracy <b>%.4f</b> · top-%d accuracy %.4f · %d images" + "</p>%n",
            test.accuracy(),
            test.topK(),
            test.topKAccuracy(),
            test.examples()));
    List<ClassMetrics> missed =
        test.perClass().stream()
            .filter(m -> m.support() > 0 && m.recall() < LOW_RECALL)
            .sorted(Comparator.comparingDouble(ClassMetrics::recall))
            .toList();
    if (!missed.isEmpty()) {
      h.append("<p class=\"alert\" id=\"missed-classes\">")
          .append(missed.size())
          .append(missed.size() == 1 ? " class is" : " classes are")
          .append(" mostly missed on the test split (recall below ")
          .append(LOW_RECALL)
          .append("): ");
      for (int i = 0; i < missed.size(); i++) {
        ClassMetrics m = missed.get(i);
        h.append(i == 0 ? "" : "; ")
            .append(
                String.format(
                    Locale.ROOT,
                    "%s %.2f (%d of %d right)",
                    escape(m.label()),
                    m.recall(),
                    Math.round(m.recall() * m.support()),
                    m.support()));
      }
      h.append(". Accuracy alone hides this when classes are unbalanced.</p>\n");
    }
    h.append("<p>Recall: the share of a class's test images predicted as that class.</p>\n");
    h.append(
        "<div class=\"scroll\"><table id=\"per-class\"><tr><th class=\"l\">class</th><th>recall</th>"
            + "<th class=\"l\"></th><th>precision</th><th>F1</th><th>test images</th></tr>\n");
    for (ClassMetrics m : test.perClass()) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr%s><td class=\"l\">%s</td><td><b>%.3f</b></td><td class=\"bar\">"
                  + "<span style=\"width:%.1f%%\"></span></td><td>%.3f</td><td>%.3f</td><td>%d</td></tr>%n",
              m.support() > 0 && m.recall() < LOW_RECALL ? " class=\"low\"" : "",
              escape(m.label()),
              m.recall(),
              100 * m.recall(),
              m.precision(),
              m.f1(),
              m.support()));
    }
    h.append("</table></div>\n");
    h.append(image("confusion matrix", Charts.confusionMatrix(test)));
    confusionTable(h, test);
  }

  private static void confusionTable(StringBuilder h, ClassificationReport test) {
    h.append(
        "<div class=\"scroll\"><table id=\"confusion\"><tr><th class=\"l\">true \\ predicted</th>");
    for (String label : test.labels()) {
      h.append("<th>").append(escape(label)).append("</th>");
    }
    h.append("</tr>\n");
    for (int t = 0; t < test.labels().size(); t++) {
      long row = 0;
      for (long count : test.confusion()[t]) {
        row += count;
      }
      h.append("<tr><th class=\"l\">").append(escape(test.labels().get(t))).append("</th>");
      for (int p = 0; p < test.labels().size(); p++) {
        long count = test.confusion()[t][p];
        double share = row == 0 ? 0 : (double) count / row;
        h.append(
            String.format(
                Locale.ROOT,
                "<td%s style=\"background:rgba(31,119,180,%.2f)%s\">%d</td>",
                t == p ? " class=\"d\"" : "",
                0.85 * share,
                share > 0.55 ? ";color:#fff" : "",
                count));
      }
      h.append("</tr>\n");
    }
    h.append("</table></div>\n");
  }

  /** The {@code --l2 auto} trials from metrics.json's {@code l2_path}, when present. */
  private static void l2Path(StringBuilder h, Map<String, Object> metrics) {
    if (metrics == null
        || !(metrics.get("l2_path") instanceof List<?> trials)
        || trials.isEmpty()) {
      return;
    }
    h.append(
        "<h2>L2 chosen on the validation split</h2>\n<div class=\"scroll\"><table id=\"l2-path\"><tr><th>L2</th>"
            + "<th>validation accuracy</th><th>validation loss</th><th>iterations</th><th class=\"l\">kept</th></tr>\n");
    for (Object item : trials) {
      if (!(item instanceof Map<?, ?> trial)) {
        continue;
      }
      boolean chosen = Boolean.TRUE.equals(trial.get("chosen"));
      h.append(chosen ? "<tr class=\"kept\">" : "<tr>")
          .append("<td>")
          .append(plain(trial.get("l2")))
          .append("</td>")
          .append("<td>")
          .append(fixed(trial.get("validation_accuracy")))
          .append("</td>")
          .append("<td>")
          .append(fixed(trial.get("validation_loss")))
          .append("</td>")
          .append("<td>")
          .append(
              trial.get("iterations") == null
                  ? "–"
                  : escape(String.valueOf(trial.get("iterations"))))
          .append("</td><td class=\"l\">")
          .append(chosen ? "✓ kept" : "")
          .append("</td></tr>\n");
    }
    h.append("</table></div>\n");
  }

  private static String plain(Object number) {
    return number instanceof Number n
        ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString()
        : number == null ? "–" : escape(String.valueOf(number));
  }

  private static String fixed(Object number) {
    return number instanceof Number n
        ? String.format(Locale.ROOT, "%.4f", n.doubleValue())
        : number == null ? "–" : escape(String.valueOf(number));
  }

  private static void counts(StringBuilder h, Content c) {
    h.append(
        "<h2>Images per class and split</h2>\n<div class=\"scroll\"><table><tr><th class=\"l\">class</th>"
            + "<th>train</th><th>validation</th><th>test</th></tr>\n");
    for (int i = 0; i < c.classes().size(); i++) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td class=\"l\">%s</td><td>%d</td><td>%d</td><td>%d</td></tr>%n",
              escape(c.classes().get(i)),
              c.counts()[0][i],
              c.counts()[1][i],
              c.counts()[2][i]));
    }
    h.append("</table></div>\n");
  }

  private static void misses(StringBuilder h, List<Miss> misses, Thumbnails thumbnails) {
    h.append("<h2>Misclassified test images</h2>\n");
    if (misses.isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    h.append(
        "<div class=\"scroll\"><table id=\"misclassified\"><tr><th>image</th><th class=\"l\">path</th>"
            + "<th class=\"l\">true</th>"
            + "<th class=\"l\">predicted</th><th>probability</th></tr>\n");
    for (Miss miss : misses.subList(0, Math.min(MISSES_SHOWN, misses.size()))) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td class=\"t\"><img alt=\"%s\" src=\"%s\"></td><td class=\"l\">%s</td>"
                  + "<td class=\"l\">%s</td><td class=\"l\">%s</td><td>%.3f</td></tr>%n",
              escape(miss.path()),
              thumbnails.dataUri(miss.path()),
              escape(miss.path()),
              escape(miss.trueLabel()),
              escape(miss.predictedLabel()),
              miss.probability()));
    }
    h.append("</table></div>\n");
    if (misses.size() > MISSES_SHOWN) {
      h.append("<p>")
          .append(misses.size() - MISSES_SHOWN)
          .append(" more in misclassified.csv.</p>\n");
    }
  }

  private static String image(String alt, byte[] png) {
    return "<p><img alt=\""
        + alt
        + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png)
        + "\"></p>\n";
  }

  /**
   * misclassified.csv: path, true_label, predicted_label, probability (RFC 4180, as
   * predictions.csv).
   */
  public static byte[] misclassifiedCsv(List<Miss> misses) {
    StringWriter text = new StringWriter();
    try (CSVPrinter csv =
        new CSVPrinter(text, CSVFormat.RFC4180.builder().setRecordSeparator('\n').build())) {
      csv.printRecord("path", "true_label", "predicted_label", "probability");
      for (Miss miss : misses) {
        csv.printRecord(
            miss.path(),
            miss.trueLabel(),
            miss.predictedLabel(),
            String.format(Locale.ROOT, "%.6f", miss.probability()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
