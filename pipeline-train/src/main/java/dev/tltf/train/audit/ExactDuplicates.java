package dev.tltf.train.audit;

import dev.tltf.train.labels.Labeling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One image_id (the same bytes) under several paths. The split follows image_id, so copies always
 * share a split and never leak; a group is a conflict when its paths carry different labels.
 */
public final class ExactDuplicates {
  private ExactDuplicates() {}

  /** The paths of one image_id. */
  public record Group(String imageId, List<AuditSet.Entry> entries, boolean conflict) {
    public List<Integer> labels() {
      return entries.stream()
          .map(AuditSet.Entry::label)
          .filter(l -> l != Labeling.NONE)
          .distinct()
          .toList();
    }
  }

  /** Every image_id stored under two or more paths, in store order. */
  public static List<Group> find(AuditSet set) {
    Map<String, List<AuditSet.Entry>> byId = new LinkedHashMap<>();
    for (AuditSet.Entry entry : set.entries()) {
      byId.computeIfAbsent(entry.imageId(), id -> new ArrayList<>()).add(entry);
    }
    List<Group> groups = new ArrayList<>();
    byId.forEach(
        (id, entries) -> {
          if (entries.size() > 1) {
            long labels =
                entries.stream()
                    .map(AuditSet.Entry::label)
                    .filter(l -> l != Labeling.NONE)
                    .distinct()
                    .count();
            groups.add(new Group(id, List.copyOf(entries), labels > 1));
          }
        });
    return groups;
  }
}
