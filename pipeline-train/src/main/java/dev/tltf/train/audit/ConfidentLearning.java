package dev.tltf.train.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Confident learning (Northcutt, Jiang and Chuang, "Confident Learning: Estimating Uncertainty in
 * Dataset Labels", JAIR 2021) on out-of-fold class probabilities. Each class j gets a threshold
 * t_j, the mean probability of j over the examples labelled j (its average self-confidence). An
 * example labelled y counts for the class j* with the highest probability among the classes whose
 * probability reaches their threshold; when j* ≠ y it is a suspected label error, suggested label
 * j*.
 *
 * <p>Ranking: by self-confidence relative to the class's threshold, score = 1 − p_y / t_y (highest
 * first), so that a hard class's modest confidence counts as much as an easy class's high one. On
 * the planted test set ({@code AuditPlantedProblemsTest}) this ranked flipped labels better than
 * plain self-confidence p_y and than the paper's normalised margin p_j* − p_y (which also put the
 * suspects first, losing the flips just outside the set).
 */
public final class ConfidentLearning {
  private ConfidentLearning() {}

  /**
   * A suspected label error: the example (index into the given arrays), its label, the suggestion,
   * the score (1 − p_given / t_given) and the two probabilities.
   */
  public record Suspect(
      int example,
      int given,
      int suggested,
      double score,
      double givenProbability,
      double suggestedProbability) {}

  /** Thresholds per class and the suspects, best-ranked first. */
  public record Result(double[] thresholds, List<Suspect> suspects) {}

  /**
   * Ranks suspected label errors by confident learning's per-class thresholds.
   *
   * @param probabilities out-of-fold probabilities per example (rows sum to 1)
   * @param given the given class of each example
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
        suspects.add(
            new Suspect(n, given[n], best, score(p, given[n], thresholds), p[given[n]], p[best]));
      }
    }
    suspects.sort(
        Comparator.comparingDouble(Suspect::score).reversed().thenComparingInt(Suspect::example));
    return new Result(thresholds, suspects);
  }

  static double score(float[] p, int given, double[] thresholds) {
    return 1 - p[given] / thresholds[given];
  }

  /**
   * Every example ranked by the same score, most suspect first (for ranking metrics over the whole
   * set).
   */
  public static int[] fullRanking(Result result, float[][] probabilities, int[] given) {
    double[] scores = new double[given.length];
    for (int n = 0; n < given.length; n++) {
      scores[n] = score(probabilities[n], given[n], result.thresholds());
    }
    return java.util.stream.IntStream.range(0, given.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer n) -> -scores[n]).thenComparingInt(n -> n))
        .mapToInt(Integer::intValue)
        .toArray();
  }
}
