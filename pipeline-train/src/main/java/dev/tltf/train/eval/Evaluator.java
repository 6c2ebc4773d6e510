package dev.tltf.train.eval;

import dev.tltf.common.head.Head;
import dev.tltf.train.model.HeadTrainer.LabeledRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a head over a labelled split and tallies the {@link ClassificationReport} and the
 * misclassified rows.
 */
public final class Evaluator {
  private Evaluator() {}

  /**
   * A row the head got wrong: its path, true and predicted label, and the predicted probability.
   */
  public record Miss(String path, String trueLabel, String predictedLabel, double probability) {}

  public record Outcome(ClassificationReport report, List<Miss> misses) {}

  public static Outcome evaluate(Head head, LabeledRows split, int topK) {
    List<String> labels = head.labels();
    int classes = labels.size();
    long[][] confusion = new long[classes][classes];
    long inTopK = 0;
    List<Miss> misses = new ArrayList<>();
    int dimension = split.spill().dimension();
    int batch = 1024;
    float[] flat = new float[batch * dimension];
    for (int start = 0; start < split.size(); start += batch) {
      int count = Math.min(batch, split.size() - start);
      int[] rows = Arrays.copyOfRange(split.rows(), start, start + count);
      split.spill().read(rows, count, flat);
      float[][] vectors = new float[count][];
      for (int i = 0; i < count; i++) {
        vectors[i] = Arrays.copyOfRange(flat, i * dimension, (i + 1) * dimension);
      }
      float[][] probabilities = head.probabilities(vectors);
      for (int i = 0; i < count; i++) {
        int truth = split.labels()[rows[i]];
        List<Head.Prediction> ranked = head.topK(probabilities[i], topK);
        int predicted = ranked.get(0).index();
        confusion[truth][predicted]++;
        if (ranked.stream().anyMatch(p -> p.index() == truth)) {
          inTopK++;
        }
        if (predicted != truth) {
          misses.add(
              new Miss(
                  split.spill().path(rows[i]),
                  labels.get(truth),
                  labels.get(predicted),
                  ranked.get(0).probability()));
        }
      }
    }
    return new Outcome(ClassificationReport.of(labels, confusion, topK, inTopK), misses);
  }
}
