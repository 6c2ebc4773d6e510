package dev.tltf.train.audit;

import dev.tltf.common.split.Split;
import dev.tltf.train.labels.Labeling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs of distinct images (different bytes) whose vectors are far closer than images in this store
 * usually are. The rule is relative to the store because absolute cosines mean nothing across
 * backbones: with seeded random weights unrelated images have cosine ≈ 0.999 and re-encoded copies
 * are no nearer than strangers, with ImageNet weights the scale is quite different. So: take each
 * image's distance to its nearest other image (Euclidean, between centred unit vectors: √(2 − 2
 * cos)); the store's typical distance is the median of these; a pair is a near-duplicate when its
 * distance is at most {@code ratio} × that median. Pairs come from each image's k nearest
 * neighbours, so an image with more than k near-copies reports its k closest.
 */
public final class NearDuplicates {
  private NearDuplicates() {}

  /**
   * A near-duplicate pair ({@code a < b}, image indices); a leak when the two sit in different
   * splits.
   */
  public record Pair(
      int a, int b, float similarity, double distance, boolean leak, boolean conflict) {}

  /** The pairs found, the store's typical nearest-neighbour distance and the threshold it gave. */
  public record Result(double typicalDistance, double threshold, List<Pair> pairs) {
    /** Leaking pairs per pair of splits ("train/test", "train/validation", "validation/test"). */
    public Map<String, Long> leaksBySplits(AuditSet set) {
      Map<String, Long> counts = new LinkedHashMap<>();
      Split.Part[] parts = Split.Part.values();
      for (int i = 0; i < parts.length; i++) {
        for (int j = i + 1; j < parts.length; j++) {
          counts.put(parts[i].code() + "/" + parts[j].code(), 0L);
        }
      }
      for (Pair pair : pairs) {
        if (pair.leak()) {
          counts.merge(splits(set, pair), 1L, Long::sum);
        }
      }
      return counts;
    }
  }

  /** "train/test" and so on, in split order. */
  public static String splits(AuditSet set, Pair pair) {
    Split.Part x = set.image(pair.a()).part();
    Split.Part y = set.image(pair.b()).part();
    return x.compareTo(y) <= 0 ? x.code() + "/" + y.code() : y.code() + "/" + x.code();
  }

  public static double distance(float similarity) {
    return Math.sqrt(Math.max(0, 2 - 2 * (double) similarity));
  }

  /**
   * The median nearest-neighbour distance over the images that have a neighbour (0 when none has).
   */
  public static double typicalDistance(NeighbourTable table) {
    double[] nearest = new double[table.size()];
    int n = 0;
    for (int i = 0; i < table.size(); i++) {
      NeighbourTable.Neighbour[] neighbours = table.neighbours(table.offset() + i);
      if (neighbours.length > 0) {
        nearest[n++] = distance(neighbours[0].similarity());
      }
    }
    return median(Arrays.copyOf(nearest, n));
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  public static Result find(NeighbourTable table, AuditSet set, double ratio) {
    double typical = typicalDistance(table);
    double threshold = ratio * typical;
    Set<Long> seen = new HashSet<>();
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      int image = table.offset() + i;
      for (NeighbourTable.Neighbour neighbour : table.neighbours(image)) {
        double distance = distance(neighbour.similarity());
        if (distance > threshold) {
          break;
        }
        int a = Math.min(image, neighbour.image());
        int b = Math.max(image, neighbour.image());
        if (seen.add(((long) a << 32) | b)) {
          AuditSet.Entry x = set.image(a);
          AuditSet.Entry y = set.image(b);
          boolean conflict =
              x.label() != Labeling.NONE && y.label() != Labeling.NONE && x.label() != y.label();
          pairs.add(
              new Pair(a, b, neighbour.similarity(), distance, x.part() != y.part(), conflict));
        }
      }
    }
    pairs.sort(
        Comparator.comparingDouble(Pair::distance)
            .thenComparingInt(Pair::a)
            .thenComparingInt(Pair::b));
    return new Result(typical, threshold, pairs);
  }
}
