package dev.tltf.train.audit;

import dev.tltf.common.thumbnail.Thumbnails;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code audit.html}: one self-contained page (thumbnails embedded as data URIs) with the counts,
 * leaks per pair of splits, the suspected label errors beside their nearest images of the suggested
 * class, the outliers beside their nearest image of their class, and duplicate pairs side by side.
 * Each section shows its first {@code limit} rows; the CSV files hold all of them.
 */
public final class AuditReport {
  private final AuditFindings f;
  private final Thumbnails thumbnails;
  private final int limit;
  private final Map<String, String> cache = new HashMap<>();

  public AuditReport(AuditFindings findings, Thumbnails thumbnails, int limit) {
    this.f = findings;
    this.thumbnails = thumbnails;
    this.limit = limit;
  }

  public byte[] html() {
    StringBuilder h = new StringBuilder(1 << 16);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Audit of ")
        .append(escape(String.valueOf(f.settings().get("features"))))
        .append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}")
        .append(
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("vertical-align:top;text-align:left}th{background:#f3f3f3}td.n{text-align:right}")
        .append(
            ".card{display:inline-block;width:104px;margin:2px 4px;font-size:11px;vertical-align:top;")
        .append(
            "word-break:break-all}.card img{width:96px;height:96px;object-fit:contain;background:#f6f6f6;")
        .append(
            "border:1px solid #ddd;display:block}.bad{color:#b22}.warn{color:#a55}.muted{color:#777}")
        .append("</style></head><body>\n");
    h.append("<h1>Audit of ")
        .append(escape(String.valueOf(f.settings().get("features"))))
        .append("</h1>\n");
    for (String warning : f.warnings()) {
      h.append("<p class=\"warn\">").append(escape(warning)).append("</p>\n");
    }
    summary(h);
    suspects(h);
    outliers(h);
    duplicates(h);
    h.append("</body></html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void summary(StringBuilder h) {
    @SuppressWarnings("unchecked")
    Map<String, Object> counts = (Map<String, Object>) AuditTables.summary(f).get("counts");
    h.append("<h2>Summary</h2>\n<table>\n");
    row(h, "stored paths / distinct images", counts.get("paths") + " / " + counts.get("images"));
    row(h, "classes", f.set().classes().size() + ": " + String.join(", ", f.set().classes()));
    row(
        h,
        "exact duplicates (image_id under several paths)",
        counts.get("exactDuplicateGroups")
            + " groups, "
            + counts.get("exactDuplicatePaths")
            + " paths, "
            + counts.get("exactDuplicateConflicts")
            + " with different labels");
    row(
        h,
        "near-duplicate pairs",
        counts.get("nearDuplicatePairs")
            + " ("
            + counts.get("nearDuplicateConflicts")
            + " with different labels, "
            + counts.get("leaks")
            + " across splits)");
    row(
        h,
        "near-duplicate rule",
        String.format(
            Locale.ROOT,
            "distance ≤ %.4f = %s × the median nearest-neighbour " + "distance %.4f",
            f.near().threshold(),
            f.settings().get("nearDuplicateRatio"),
            f.near().typicalDistance()));
    row(
        h,
        "suspected label errors",
        f.confident().suspects().size()
            + " of "
            + f.examples().length
            + " train + validation images ("
            + f.settings().get("folds")
            + "-fold, confident learning)");
    row(
        h,
        "outliers",
        f.outliers().size()
            + " (≥ "
            + f.settings().get("outlierRatio")
            + " × the usual distance "
            + "both to their own class and to any image)");
    h.append(
        "</table>\n<h3>Leaks: near-duplicate pairs across splits</h3>\n<table><tr><th>splits</th><th>pairs</th>"
            + "</tr>\n");
    f.near()
        .leaksBySplits(f.set())
        .forEach(
            (splits, count) ->
                h.append("<tr><td>")
                    .append(splits)
                    .append("</td><td class=\"n\">")
                    .append(count)
                    .append("</td></tr>\n"));
    h.append("</table>\n");
  }

  private void suspects(StringBuilder h) {
    List<ConfidentLearning.Suspect> suspects = f.confident().suspects();
    h.append("<h2>Suspected label errors</h2>\n");
    if (suspects.isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    h.append(
        "<p class=\"muted\">Each image with its given label, the label its out-of-fold heads suggest, and its "
            + "nearest images of the suggested class. Score: 1 − p(given) / the mean p of the given class over its images.</p>\n");
    h.append(
        "<table><tr><th>#</th><th>image</th><th>given → suggested</th><th>score</th>"
            + "<th>nearest images labelled as suggested</th></tr>\n");
    for (int i = 0; i < Math.min(limit, suspects.size()); i++) {
      ConfidentLearning.Suspect s = suspects.get(i);
      int image = f.image(s);
      h.append("<tr><td class=\"n\">")
          .append(i + 1)
          .append("</td><td>")
          .append(card(image))
          .append("</td><td>")
          .append(escape(f.label(s.given())))
          .append(" → <b>")
          .append(escape(f.label(s.suggested())))
          .append(
              String.format(
                  Locale.ROOT,
                  "</b><br><span class=\"muted\">p = %.3f → %.3f</span></td>",
                  s.givenProbability(),
                  s.suggestedProbability()))
          .append(String.format(Locale.ROOT, "<td class=\"n\">%.3f</td><td>", s.score()));
      if (i < f.suspectNeighbours().length) {
        for (int neighbour : f.suspectNeighbours()[i]) {
          if (neighbour >= 0) {
            h.append(card(neighbour));
          }
        }
      }
      h.append("</td></tr>\n");
    }
    h.append("</table>\n");
    more(h, suspects.size(), "suspects.csv");
  }

  private void outliers(StringBuilder h) {
    h.append("<h2>Outliers</h2>\n");
    if (f.outliers().isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    h.append(
        "<table><tr><th>#</th><th>image</th><th>score</th><th>nearest image of its class</th>"
            + "<th>nearest image</th></tr>\n");
    for (int i = 0; i < Math.min(limit, f.outliers().size()); i++) {
      Outliers.Outlier o = f.outliers().get(i);
      h.append("<tr><td class=\"n\">")
          .append(i + 1)
          .append("</td><td>")
          .append(card(o.image()))
          .append(String.format(Locale.ROOT, "</td><td class=\"n\">%.2f</td><td>", o.score()))
          .append(card(o.sameClassNeighbour()))
          .append("</td><td>")
          .append(o.nearest() < 0 ? "" : card(o.nearest()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    more(h, f.outliers().size(), "outliers.csv");
  }

  private void duplicates(StringBuilder h) {
    h.append("<h2>Exact duplicates</h2>\n");
    if (f.exact().isEmpty()) {
      h.append("<p>None.</p>\n");
    } else {
      h.append("<table><tr><th>#</th><th>image</th><th>paths (label, split)</th></tr>\n");
      for (int i = 0; i < Math.min(limit, f.exact().size()); i++) {
        ExactDuplicates.Group g = f.exact().get(i);
        h.append("<tr><td class=\"n\">")
            .append(i + 1)
            .append("</td><td>")
            .append(img(g.entries().get(0).path()))
            .append("</td><td>");
        for (AuditSet.Entry e : g.entries()) {
          h.append(escape(e.path()))
              .append(" <span class=\"muted\">(")
              .append(escape(f.label(e.label())))
              .append(", ")
              .append(e.part().code())
              .append(")</span><br>");
        }
        if (g.conflict()) {
          h.append("<span class=\"bad\">different labels</span>");
        }
        h.append("</td></tr>\n");
      }
      h.append("</table>\n");
      more(h, f.exact().size(), "duplicates.csv");
    }
    h.append("<h2>Near-duplicate pairs</h2>\n");
    if (f.near().pairs().isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    h.append("<table><tr><th>#</th><th>pair</th><th>distance</th><th>flags</th></tr>\n");
    for (int i = 0; i < Math.min(limit, f.near().pairs().size()); i++) {
      NearDuplicates.Pair p = f.near().pairs().get(i);
      h.append("<tr><td class=\"n\">")
          .append(i + 1)
          .append("</td><td>")
          .append(card(p.a()))
          .append(card(p.b()))
          .append(String.format(Locale.ROOT, "</td><td class=\"n\">%.4f</td><td>", p.distance()));
      if (p.leak()) {
        h.append("<span class=\"bad\">leak ")
            .append(NearDuplicates.splits(f.set(), p))
            .append("</span><br>");
      }
      if (p.conflict()) {
        h.append("<span class=\"bad\">different labels</span>");
      }
      h.append("</td></tr>\n");
    }
    h.append("</table>\n");
    more(h, f.near().pairs().size(), "duplicates.csv");
  }

  /** A thumbnail with the image's label, split and path under it. */
  private String card(int image) {
    AuditSet.Entry e = f.set().image(image);
    return "<div class=\"card\">"
        + img(e.path())
        + "<b>"
        + escape(f.label(e.label()))
        + "</b> · "
        + e.part().code()
        + "<br><span class=\"muted\">"
        + escape(e.path())
        + "</span></div>";
  }

  private String img(String path) {
    String uri = cache.computeIfAbsent(path, thumbnails::dataUri);
    return "<img src=\"" + uri + "\" alt=\"" + escape(path) + "\" title=\"" + escape(path) + "\">";
  }

  private void more(StringBuilder h, int total, String file) {
    if (total > limit) {
      h.append("<p class=\"muted\">")
          .append(total - limit)
          .append(" more in ")
          .append(file)
          .append(".</p>\n");
    }
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><th>")
        .append(escape(name))
        .append("</th><td>")
        .append(escape(value))
        .append("</td></tr>\n");
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
