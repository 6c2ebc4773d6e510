package dev.tltf.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {
  @Test
  void figuresMatchHandComputation() {
    // true\\predicted: cat dog
    //   cat            3   1
    //   dog            2   4
    long[][] confusion = {{3, 1}, {2, 4}};
    ClassificationReport report = ClassificationReport.of(List.of("cat", "dog"), confusion, 2, 10);
    assertEquals(10, report.examples());
    assertEquals(0.7, report.accuracy(), 1e-12);
    assertEquals(1.0, report.topKAccuracy(), 1e-12);
    ClassificationReport.ClassMetrics cat = report.perClass().get(0);
    assertEquals(3.0 / 5, cat.precision(), 1e-12);
    assertEquals(3.0 / 4, cat.recall(), 1e-12);
    assertEquals(2 * 0.6 * 0.75 / 1.35, cat.f1(), 1e-12);
    assertEquals(4, cat.support());
    ClassificationReport.ClassMetrics dog = report.perClass().get(1);
    assertEquals(4.0 / 5, dog.precision(), 1e-12);
    assertEquals(4.0 / 6, dog.recall(), 1e-12);
  }

  @Test
  void classesNeverPredictedHaveZeroNotNaN() {
    ClassificationReport report =
        ClassificationReport.of(List.of("a", "b"), new long[][] {{2, 0}, {1, 0}}, 1, 2);
    assertEquals(0, report.perClass().get(1).precision());
    assertEquals(0, report.perClass().get(1).f1());
  }
}
