package dev.tltf.train.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Confident learning (Northcutt, Jiang and Chuang, "Confident Learning: Estimating Uncertainty in Dataset Labels",
 * JAIR 2021) on out-of-fold class probabilities. Each class j gets a threshold t_j, the mean probability of j over
 * the examples labelled j (its average self-confidence). An example labelled y counts for the class j* with the
 * highest probability among the classes whose probability reaches their threshold; when j* ≠ y it is a suspected
 * label error, suggested label j*. Suspects are ranked by the normalised margin p_j* − p_y (the paper's
 * "prune by noise rate" order), largest first. Per-class thresholds make a hard class's modest confidence count
 * as much as an easy class's high one, which plain self-confidence ranking cannot.
 */
public final class ConfidentLearning {
  private ConfidentLearning() {}

  /** A suspected label error: the example (index into the given arrays), its label, the suggestion, the margin. */
  public record Suspect(int example, int given, int suggested, double score, double givenProbability,
      double suggestedProbability) {}

  /** Thresholds per class and the suspects, best-ranked first. */
  public record Result(double[] thresholds, List<Suspect> suspects) {}

  /**
   * @param probabilities out-of-fold probabilities per example (rows sum to 1)
   * @param given         the given class of each example
   */
  public static Result rank(float[][] probabilities, int[] given, int classes) {
    double[] sum = new double[classes];
    long[] count = new long[classes];
    for (int n = 0; n < given.length; n++) {
      sum[given[n]] += probabilities[n][given[n]];
      count[given[n]]++;
    }
    double[] thresholds = new double[classes];
    for (int c = 0; c < classes; c++) {
      // A class nobody carries can never be confidently suggested.
      thresholds[c] = count[c] == 0 ? Double.POSITIVE_INFINITY : sum[c] / count[c];
    }
    List<Suspect> suspects = new ArrayList<>();
    for (int n = 0; n < given.length; n++) {
      float[] p = probabilities[n];
      int best = -1;
      for (int c = 0; c < classes; c++) {
        if (p[c] >= thresholds[c] && (best < 0 || p[c] > p[best])) {
          best = c;
        }
      }
      if (best >= 0 && best != given[n]) {
        suspects.add(new Suspect(n, given[n], best, p[best] - p[given[n]], p[given[n]], p[best]));
      }
    }
    suspects.sort(Comparator.comparingDouble(Suspect::score).reversed().thenComparingInt(Suspect::example));
    return new Result(thresholds, suspects);
  }

  /**
   * Every example ranked most-suspect first: the suspects in their order, then the rest by how far their best other
   * class comes to their own (max_{j≠y} p_j − p_y), so that a ranking metric (precision at n, AUC) sees the whole set.
   */
  public static int[] fullRanking(Result result, float[][] probabilities, int[] given) {
    boolean[] suspect = new boolean[given.length];
    List<Integer> order = new ArrayList<>();
    for (Suspect s : result.suspects()) {
      suspect[s.example()] = true;
      order.add(s.example());
    }
    List<Integer> rest = new ArrayList<>();
    for (int n = 0; n < given.length; n++) {
      if (!suspect[n]) {
        rest.add(n);
      }
    }
    rest.sort(Comparator.comparingDouble((Integer n) -> -otherMargin(probabilities[n], given[n]))
        .thenComparingInt(n -> n));
    order.addAll(rest);
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double otherMargin(float[] p, int given) {
    double best = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < p.length; c++) {
      if (c != given) {
        best = Math.max(best, p[c]);
      }
    }
    return best - p[given];
  }
}
