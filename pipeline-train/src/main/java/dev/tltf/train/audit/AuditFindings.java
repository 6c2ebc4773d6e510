package dev.tltf.train.audit;

import java.util.List;
import java.util.Map;

/**
 * Everything an audit found, for the tables, audit.json and the report.
 *
 * @param examples image index of each example of the label-error stage (train + validation,
 *     labelled)
 * @param probabilities out-of-fold class probabilities of each example
 * @param suspectNeighbours for each of the first suspects, image indices of its nearest images of
 *     the suggested class
 * @param seconds wall-clock seconds per stage, in stage order ({@link StageClock})
 * @param cpuSeconds CPU seconds of the JVM per stage
 */
public record AuditFindings(
    AuditSet set,
    List<ExactDuplicates.Group> exact,
    NearDuplicates.Result near,
    int[] examples,
    float[][] probabilities,
    ConfidentLearning.Result confident,
    int[][] suspectNeighbours,
    List<Outliers.Outlier> outliers,
    Map<String, Object> settings,
    List<String> warnings,
    Map<String, Double> seconds,
    Map<String, Double> cpuSeconds) {

  /** The image index of a suspect. */
  public int image(ConfidentLearning.Suspect suspect) {
    return examples[suspect.example()];
  }

  public String label(int classIndex) {
    return classIndex < 0 ? "" : set.classes().get(classIndex);
  }
}
