package dev.tltf.train.audit;

import java.util.Set;

/** How well a ranking (most suspect first) puts the truly wrong examples first. */
record RankingMetrics(double precisionAtFlips, double auc) {
  static RankingMetrics of(int[] ranking, Set<Integer> wrong) {
    int hits = 0;
    for (int i = 0; i < wrong.size(); i++) {
      if (wrong.contains(ranking[i])) {
        hits++;
      }
    }
    // AUC: the share of (wrong, right) pairs in which the wrong one ranks first.
    long rightSeen = 0;
    long pairsInOrder = 0;
    long rights = (long) ranking.length - wrong.size();
    for (int example : ranking) {
      if (wrong.contains(example)) {
        pairsInOrder += rights - rightSeen;
      } else {
        rightSeen++;
      }
    }
    return new RankingMetrics(
        (double) hits / wrong.size(), (double) pairsInOrder / ((double) wrong.size() * rights));
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "precision at the number of flips %.3f, AUC %.4f",
        precisionAtFlips,
        auc);
  }
}
