package dev.tltf.train.labels;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.split.Split;
import dev.tltf.train.snapshot.StoreSnapshot;
import dev.tltf.train.snapshot.VectorSpill;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@link LabelSource} applied to a {@link StoreSnapshot} under a {@link LabelPolicy}: a class
 * index for every row of every split ({@link #NONE} for rows left out), the classes in sorted
 * order, and what was left out and why. Problems that the policy says fail end the run here, before
 * any training, with a count and examples.
 */
public final class Labeling {
  public static final int NONE = -1;
  private static final int EXAMPLES = 3;

  private final List<String> classes;
  private final Map<Split.Part, int[]> labels;
  private final Map<String, Object> report;
  private final List<String> warnings;

  private Labeling(
      List<String> classes,
      Map<Split.Part, int[]> labels,
      Map<String, Object> report,
      List<String> warnings) {
    this.classes = List.copyOf(classes);
    this.labels = labels;
    this.report = report;
    this.warnings = List.copyOf(warnings);
  }

  public static Labeling apply(StoreSnapshot snapshot, LabelSource source, LabelPolicy policy) {
    String store = snapshot.store().location();
    List<String> warnings = new ArrayList<>();
    Map<String, Object> report = new LinkedHashMap<>();

    List<String> conflicts = source.conflicts();
    report.put("conflictingKeys", conflicts.size());
    if (!conflicts.isEmpty()) {
      String what =
          String.format(
              "%d keys of %s have conflicting labels (%s)",
              conflicts.size(), source.describe(), examples(conflicts));
      if (policy.conflict() == LabelPolicy.Action.FAIL) {
        throw new InvalidInputException(
            "Invalid --labels: "
                + what
                + "; fix the file or pass --on-conflict drop to "
                + "leave them out.");
      }
      warnings.add(what + "; their images are left out");
    }
    if (source.blankLabels() > 0) {
      warnings.add(
          source.blankLabels()
              + " rows of "
              + source.describe()
              + " have an empty key or label; ignored");
    }
    report.put("blankLabelRows", source.blankLabels());

    List<String> paths = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Split.Part part : Split.Part.values()) {
      VectorSpill spill = snapshot.part(part);
      for (int row = 0; row < spill.size(); row++) {
        paths.add(spill.path(row));
        ids.add(spill.imageId(row));
      }
    }
    List<String> unknown = source.unknownKeys(paths, ids);
    report.put("unknownKeys", unknown.size());
    if (!unknown.isEmpty()) {
      String what =
          String.format(
              "%d keys of %s name no image in feature store %s (%s)",
              unknown.size(), source.describe(), store, examples(unknown));
      if (policy.unknownKey() == LabelPolicy.Action.FAIL) {
        throw new InvalidInputException(
            "Invalid --labels: " + what + "; pass --on-unknown-key drop to ignore them.");
      }
      warnings.add(what + "; ignored");
    }

    Map<Split.Part, String[]> named = new EnumMap<>(Split.Part.class);
    List<String> unlabeled = new ArrayList<>();
    Map<String, Long> counts = new TreeMap<>();
    for (Split.Part part : Split.Part.values()) {
      VectorSpill spill = snapshot.part(part);
      String[] rowLabels = new String[spill.size()];
      for (int row = 0; row < spill.size(); row++) {
        String label = source.labelOf(spill.path(row), spill.imageId(row));
        rowLabels[row] = label;
        if (label == null) {
          unlabeled.add(spill.path(row));
        } else {
          counts.merge(label, 1L, Long::sum);
        }
      }
      named.put(part, rowLabels);
    }
    report.put("unlabeledImages", unlabeled.size());
    if (!unlabeled.isEmpty()) {
      unlabeled.sort(null);
      String what =
          String.format(
              "%d images of feature store %s have no label in %s (%s)",
              unlabeled.size(), store, source.describe(), examples(unlabeled));
      if (policy.unlabeled() == LabelPolicy.Action.FAIL) {
        throw new InvalidInputException(
            "Cannot train: " + what + "; pass --on-unlabeled drop to leave them out.");
      }
      warnings.add(what + "; left out");
    }

    Map<String, Long> small =
        counts.entrySet().stream()
            .filter(e -> e.getValue() < policy.minExamples())
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    report.put("droppedClasses", policy.smallClass() == LabelPolicy.Action.DROP ? small : Map.of());
    if (!small.isEmpty()) {
      String what =
          String.format(
              "classes with fewer than %d examples: %s",
              policy.minExamples(),
              small.entrySet().stream()
                  .map(e -> "'" + e.getKey() + "' (" + e.getValue() + ")")
                  .collect(Collectors.joining(", ")));
      if (policy.smallClass() == LabelPolicy.Action.FAIL) {
        throw new InvalidInputException(
            "Cannot train: "
                + what
                + "; add images, lower --min-examples or pass "
                + "--on-small-class drop.");
      }
      warnings.add(what + "; left out");
    }
    List<String> classes =
        counts.keySet().stream().filter(c -> !small.containsKey(c)).sorted().toList();
    InvalidInputException.check(
        classes.size() >= 2,
        "Cannot train on %s: a head needs at least 2 classes, found %d %s.",
        store,
        classes.size(),
        classes);

    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    Map<Split.Part, int[]> labels = new EnumMap<>(Split.Part.class);
    for (Map.Entry<Split.Part, String[]> part : named.entrySet()) {
      int[] ids2 = new int[part.getValue().length];
      for (int row = 0; row < ids2.length; row++) {
        String label = part.getValue()[row];
        ids2[row] = label == null ? NONE : index.getOrDefault(label, NONE);
      }
      labels.put(part.getKey(), ids2);
    }
    return new Labeling(classes, labels, report, warnings);
  }

  private static String examples(List<String> items) {
    Set<String> shown = new HashSet<>();
    List<String> quoted = new ArrayList<>();
    for (String item : items) {
      if (quoted.size() == EXAMPLES) {
        break;
      }
      if (shown.add(item)) {
        quoted.add("'" + item + "'");
      }
    }
    return "e.g. " + String.join(", ", quoted) + (items.size() > EXAMPLES ? ", …" : "");
  }

  public List<String> classes() {
    return classes;
  }

  /** Class index per row of a split, {@link #NONE} for rows left out. */
  public int[] labels(Split.Part part) {
    return labels.get(part);
  }

  /** Rows of a split that have a class. */
  public int[] labelledRows(Split.Part part) {
    int[] all = labels.get(part);
    return java.util.stream.IntStream.range(0, all.length).filter(i -> all[i] != NONE).toArray();
  }

  /** counts[part][class], parts in {@link Split.Part} declaration order (the reports' order). */
  @SuppressWarnings("EnumOrdinal") // the array is indexed by part on purpose, see above
  public long[][] counts() {
    long[][] counts = new long[Split.Part.values().length][classes.size()];
    for (Split.Part part : Split.Part.values()) {
      for (int label : labels.get(part)) {
        if (label != NONE) {
          counts[part.ordinal()][label]++;
        }
      }
    }
    return counts;
  }

  /** What was left out and why, for metrics.json. */
  public Map<String, Object> report() {
    return report;
  }

  public List<String> warnings() {
    return warnings;
  }
}
