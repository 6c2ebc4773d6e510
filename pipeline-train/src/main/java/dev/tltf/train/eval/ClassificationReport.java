package dev.tltf.train.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy, top-k accuracy, per-class precision / recall / F1 and the confusion matrix ({@code
 * confusion[true][predicted]}) of a head on one split, computed from counts so that every figure
 * can be checked by hand.
 */
public record ClassificationReport(
    @JsonProperty("examples") long examples,
    @JsonProperty("accuracy") double accuracy,
    @JsonProperty("topK") int topK,
    @JsonProperty("topKAccuracy") double topKAccuracy,
    @JsonProperty("perClass") List<ClassMetrics> perClass,
    @JsonProperty("labels") List<String> labels,
    @JsonProperty("confusion") long[][] confusion) {

  /**
   * One class: precision and recall are NaN-free (0 when undefined), support = true examples of the
   * class.
   */
  public record ClassMetrics(
      @JsonProperty("label") String label,
      @JsonProperty("precision") double precision,
      @JsonProperty("recall") double recall,
      @JsonProperty("f1") double f1,
      @JsonProperty("support") long support) {}

  /**
   * Builds the report from the confusion matrix and the count of examples whose class was in the
   * top k.
   */
  public static ClassificationReport of(
      List<String> labels, long[][] confusion, int topK, long inTopK) {
    int classes = labels.size();
    long total = 0;
    long correct = 0;
    long[] predicted = new long[classes];
    long[] actual = new long[classes];
    for (int t = 0; t < classes; t++) {
      for (int p = 0; p < classes; p++) {
        total += confusion[t][p];
        actual[t] += confusion[t][p];
        predicted[p] += confusion[t][p];
      }
      correct += confusion[t][t];
    }
    List<ClassMetrics> perClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      double precision = predicted[c] == 0 ? 0 : (double) confusion[c][c] / predicted[c];
      double recall = actual[c] == 0 ? 0 : (double) confusion[c][c] / actual[c];
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      perClass.add(new ClassMetrics(labels.get(c), precision, recall, f1, actual[c]));
    }
    return new ClassificationReport(
        total,
        total == 0 ? 0 : (double) correct / total,
        topK,
        total == 0 ? 0 : (double) inTopK / total,
        perClass,
        List.copyOf(labels),
        confusion);
  }
}
