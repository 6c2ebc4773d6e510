package dev.tltf.train;

import dev.tltf.train.eval.ClassificationReport;
import dev.tltf.train.model.SolverConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The console summary of a train-head run: one head's table, or a sweep's ranking. */
final class TrainingSummary {
  private TrainingSummary() {}

  static String describe(List<HeadTraining.Outcome> outcomes, String out) {
    StringBuilder text = new StringBuilder();
    if (outcomes.size() == 1) {
      HeadTraining.Outcome o = outcomes.get(0);
      text.append(
          String.format(
              Locale.ROOT,
              "train-head: %d classes, %d train / %d validation / %d test images, " + "%s%n",
              o.classes().size(),
              sum(o.counts()[0]),
              sum(o.counts()[1]),
              sum(o.counts()[2]),
              training(o)));
      ClassificationReport test = o.test();
      if (test.examples() == 0) {
        text.append(
            "test split is empty: no test accuracy (add images or change --train-percent / "
                + "--validation-percent)\n");
      } else {
        text.append(
            String.format(
                Locale.ROOT,
                "test accuracy %.3f, top-%d accuracy %.3f on %d images%n",
                test.accuracy(),
                test.topK(),
                test.topKAccuracy(),
                test.examples()));
        text.append(
            String.format(
                Locale.ROOT,
                "%-24s %9s %9s %9s %8s%n",
                "class",
                "precision",
                "recall",
                "f1",
                "support"));
        for (ClassificationReport.ClassMetrics c : test.perClass()) {
          text.append(
              String.format(
                  Locale.ROOT,
                  "%-24s %9.3f %9.3f %9.3f %8d%n",
                  c.label(),
                  c.precision(),
                  c.recall(),
                  c.f1(),
                  c.support()));
        }
      }
      text.append("head written to ")
          .append(out)
          .append(" (report.html, metrics.json, misclassified.csv)\n");
      return text.toString();
    }
    text.append(
        String.format(
            Locale.ROOT,
            "train-head: sweep of %d heads, ranked by validation accuracy%n",
            outcomes.size()));
    text.append(
        String.format(Locale.ROOT, "%4s %-48s %10s %9s%n", "rank", "head", "validation", "test"));
    List<HeadTraining.Outcome> ranked =
        outcomes.stream()
            .sorted(Comparator.comparingDouble(HeadTraining.Outcome::validationAccuracy).reversed())
            .toList();
    for (int i = 0; i < ranked.size(); i++) {
      HeadTraining.Outcome o = ranked.get(i);
      text.append(
          String.format(
              Locale.ROOT,
              "%4d %-48s %10.4f %9.4f%n",
              i + 1,
              o.name(),
              o.validationAccuracy(),
              o.test().accuracy()));
    }
    text.append("heads and sweep.csv written to ").append(out).append('\n');
    return text.toString();
  }

  /** How the head was fitted: the solver, its L2 and how it was chosen. */
  private static String training(HeadTraining.Outcome o) {
    String l2 =
        o.l2Trials() > 1
            ? String.format(
                Locale.ROOT, "L2 %s chosen from %d values", o.config().l2(), o.l2Trials())
            : "L2 " + o.config().l2();
    return o.solver() == SolverConfig.Solver.LBFGS
        ? String.format(Locale.ROOT, "full-batch L-BFGS, %s, %d iterations", l2, o.bestEpoch())
        : String.format(
            Locale.ROOT,
            "mini-batch %s, %s, best epoch %d",
            o.config().optimizer().name().toLowerCase(Locale.ROOT),
            l2,
            o.bestEpoch());
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }
}
