package dev.tltf.train.audit;

import dev.tltf.train.data.Labeling;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Images far from their own class: the distance to the nearest other image of the same class, over the median of
 * that distance within the class (relative, for the same reason as {@link NearDuplicates}: a screenshot in a folder of
 * dog photos is far from every dog compared with how close dogs usually are to each other). An image is an outlier
 * when that score is at least {@code ratio}.
 */
public final class Outliers {
  private Outliers() {}

  /**
   * One outlier: its distance to the nearest image of its class, the class's median of that distance, their ratio
   * (the score), and its nearest image of any class.
   */
  public record Outlier(int image, int sameClassNeighbour, double distance, double classMedian, double score,
      int nearest, double nearestDistance) {}

  /** Outliers with score ≥ {@code ratio}, highest score first. */
  public static List<Outlier> find(NeighbourTable table, int[] labels, int classes, double ratio) {
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
      medians[c] = NearDuplicates.median(byClass.get(c).stream().mapToDouble(Double::doubleValue).toArray());
    }
    List<Outlier> outliers = new ArrayList<>();
    for (int image = 0; image < labels.length; image++) {
      NeighbourTable.Neighbour own = table.sameClassNearest(image);
      if (labels[image] == Labeling.NONE || own == null || medians[labels[image]] <= 0) {
        continue;
      }
      double distance = NearDuplicates.distance(own.similarity());
      double score = distance / medians[labels[image]];
      if (score >= ratio) {
        NeighbourTable.Neighbour[] any = table.neighbours(image);
        int nearest = any.length > 0 ? any[0].image() : -1;
        double nearestDistance = any.length > 0 ? NearDuplicates.distance(any[0].similarity()) : Double.NaN;
        outliers.add(new Outlier(image, own.image(), distance, medians[labels[image]], score, nearest,
            nearestDistance));
      }
    }
    outliers.sort(Comparator.comparingDouble(Outlier::score).reversed().thenComparingInt(Outlier::image));
    return outliers;
  }
}
