package dev.tltf.train.audit;

import dev.tltf.common.io.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine-readable outputs: duplicates.csv, suspects.csv, outliers.csv and audit.json.
 * suspects.csv and outliers.csv carry {@code path}, {@code image_id} and {@code reason} columns, so
 * either file (or a filtered copy) can be given to {@code train-head --exclude}.
 */
public final class AuditTables {
  public static final String SUSPECT_REASON = "suspected label error";
  public static final String OUTLIER_REASON = "outlier";

  private AuditTables() {}

  public static byte[] duplicates(AuditFindings f) {
    StringBuilder csv =
        new StringBuilder(
            "kind,image_id_a,path_a,label_a,split_a,image_id_b,path_b,label_b,split_b,"
                + "similarity,distance,leak,conflict\n");
    for (ExactDuplicates.Group group : f.exact()) {
      AuditSet.Entry first = group.entries().get(0);
      for (AuditSet.Entry other : group.entries().subList(1, group.entries().size())) {
        row(csv, "exact", first, other, f);
        csv.append(",1.000000,0.000000,false,").append(group.conflict()).append('\n');
      }
    }
    for (NearDuplicates.Pair pair : f.near().pairs()) {
      row(csv, "near", f.set().image(pair.a()), f.set().image(pair.b()), f);
      csv.append(
          String.format(
              Locale.ROOT,
              ",%.6f,%.6f,%s,%s%n",
              pair.similarity(),
              pair.distance(),
              pair.leak(),
              pair.conflict()));
    }
    return bytes(csv);
  }

  private static void row(
      StringBuilder csv, String kind, AuditSet.Entry a, AuditSet.Entry b, AuditFindings f) {
    csv.append(kind);
    for (AuditSet.Entry e : List.of(a, b)) {
      csv.append(',')
          .append(e.imageId())
          .append(',')
          .append(quote(e.path()))
          .append(',')
          .append(quote(f.label(e.label())))
          .append(',')
          .append(e.part().code());
    }
  }

  public static byte[] suspects(AuditFindings f) {
    StringBuilder csv =
        new StringBuilder(
            "rank,path,image_id,split,given_label,suggested_label,score,"
                + "given_probability,suggested_probability,reason\n");
    int rank = 1;
    for (ConfidentLearning.Suspect s : f.confident().suspects()) {
      AuditSet.Entry e = f.set().image(f.image(s));
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%s,%s,%s,%.6f,%.6f,%.6f,%s%n",
              rank++,
              quote(e.path()),
              e.imageId(),
              e.part().code(),
              quote(f.label(s.given())),
              quote(f.label(s.suggested())),
              s.score(),
              s.givenProbability(),
              s.suggestedProbability(),
              SUSPECT_REASON));
    }
    return bytes(csv);
  }

  public static byte[] outliers(AuditFindings f) {
    StringBuilder csv =
        new StringBuilder(
            "rank,path,image_id,split,label,score,distance_to_class,class_median,"
                + "nearest_path,nearest_label,nearest_distance,reason\n");
    int rank = 1;
    for (Outliers.Outlier o : f.outliers()) {
      AuditSet.Entry e = f.set().image(o.image());
      AuditSet.Entry nearest = o.nearest() < 0 ? null : f.set().image(o.nearest());
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%s,%s,%.6f,%.6f,%.6f,%s,%s,%.6f,%s%n",
              rank++,
              quote(e.path()),
              e.imageId(),
              e.part().code(),
              quote(f.label(e.label())),
              o.score(),
              o.distance(),
              o.classMedian(),
              nearest == null ? "" : quote(nearest.path()),
              nearest == null ? "" : quote(f.label(nearest.label())),
              o.nearestDistance(),
              OUTLIER_REASON));
    }
    return bytes(csv);
  }

  /** The counts (what a script checks first), the thresholds used and the settings. */
  public static Map<String, Object> summary(AuditFindings f) {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("paths", f.set().entries().size());
    counts.put("images", f.set().images());
    counts.put("classes", f.set().classes().size());
    counts.put("exactDuplicateGroups", f.exact().size());
    counts.put("exactDuplicatePaths", f.exact().stream().mapToInt(g -> g.entries().size()).sum());
    counts.put(
        "exactDuplicateConflicts",
        f.exact().stream().filter(ExactDuplicates.Group::conflict).count());
    counts.put("nearDuplicatePairs", f.near().pairs().size());
    counts.put(
        "nearDuplicateConflicts",
        f.near().pairs().stream().filter(NearDuplicates.Pair::conflict).count());
    counts.put("leaks", f.near().pairs().stream().filter(NearDuplicates.Pair::leak).count());
    counts.put("leaksBySplits", f.near().leaksBySplits(f.set()));
    counts.put("labelErrorExamples", f.examples().length);
    counts.put("suspects", f.confident().suspects().size());
    counts.put("outliers", f.outliers().size());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", "tltf-audit");
    json.put("formatVersion", 1);
    json.put("counts", counts);
    json.put("nearDuplicateTypicalDistance", f.near().typicalDistance());
    json.put("nearDuplicateThreshold", f.near().threshold());
    Map<String, Double> thresholds = new LinkedHashMap<>();
    for (int c = 0; c < f.set().classes().size(); c++) {
      thresholds.put(f.set().classes().get(c), f.confident().thresholds()[c]);
    }
    json.put("confidentLearningThresholds", thresholds);
    json.put("settings", f.settings());
    json.put("warnings", f.warnings());
    json.put("seconds", f.seconds());
    json.put("cpuSeconds", f.cpuSeconds());
    json.put("totalSeconds", f.seconds().values().stream().mapToDouble(Double::doubleValue).sum());
    return json;
  }

  public static byte[] summaryJson(AuditFindings f) {
    return Json.write(summary(f)).getBytes(StandardCharsets.UTF_8);
  }

  static String quote(String value) {
    if (value.contains(",")
        || value.contains("\"")
        || value.contains("\n")
        || value.contains("\r")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }

  private static byte[] bytes(StringBuilder csv) {
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }
}
