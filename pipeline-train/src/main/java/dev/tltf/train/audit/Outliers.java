package dev.tltf.train.audit;

import dev.tltf.train.labels.Labeling;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Images far from every class, e.g. a screenshot in a folder of dog photos. Two relative distances
 * (for the same reason as {@link NearDuplicates}: absolute ones mean nothing across backbones): to
 * the nearest other image of its own class over that class's median of the same, and to the nearest
 * image of any class over the store's median nearest-neighbour distance. The score is the smaller
 * of the two, so an image must be far from its own class and from everything else: a mislabelled
 * image (near the members of its true class) is a suspected label error, not an outlier. An image
 * is an outlier when its score is at least {@code ratio}.
 */
public final class Outliers {
  private Outliers() {}

  /**
   * One outlier: its distance to the nearest image of its class, the class's median of that
   * distance, their ratio (the score), and its nearest image of any class.
   */
  public record Outlier(
      int image,
      int sameClassNeighbour,
      double distance,
      double classMedian,
      double score,
      int nearest,
      double nearestDistance) {}

  /** Outliers with score ≥ {@code ratio}, highest score first. */
  public static List<Outlier> find(NeighbourTable table, int[] labels, int classes, double ratio) {
    double typical = NearDuplicates.typicalDistance(table);
    List<List<Double>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int image = 0; image < labels.length; image++) {
      NeighbourTable.Neighbour own = table.sameClassNearest(image);
      if (labels[image] != Labeling.NONE && own != null) {
        byClass.get(labels[image]).add(NearDuplicates.distance(own.similarity()));
      }
    }
    double[] medians = new double[classes];
    for (int c = 0; c < classes; c++) {
      medians[c] =
          NearDuplicates.median(byClass.get(c).stream().mapToDouble(Double::doubleValue).toArray());
    }
    List<Outlier> outliers = new ArrayList<>();
    for (int image = 0; image < labels.length; image++) {
      NeighbourTable.Neighbour own = table.sameClassNearest(image);
      if (labels[image] == Labeling.NONE || own == null || medians[labels[image]] <= 0) {
        continue;
      }
      double distance = NearDuplicates.distance(own.similarity());
      NeighbourTable.Neighbour[] any = table.neighbours(image);
      int nearest = any.length > 0 ? any[0].image() : -1;
      double nearestDistance =
          any.length > 0 ? NearDuplicates.distance(any[0].similarity()) : distance;
      double score =
          Math.min(distance / medians[labels[image]], typical > 0 ? nearestDistance / typical : 0);
      if (score >= ratio) {
        outliers.add(
            new Outlier(
                image,
                own.image(),
                distance,
                medians[labels[image]],
                score,
                nearest,
                nearestDistance));
      }
    }
    outliers.sort(
        Comparator.comparingDouble(Outlier::score).reversed().thenComparingInt(Outlier::image));
    return outliers;
  }
}
