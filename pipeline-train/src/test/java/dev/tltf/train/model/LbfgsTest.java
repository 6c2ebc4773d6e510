package dev.tltf.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LbfgsTest {
  /**
   * Rosenbrock's banana, minimum 0 at (1, 1): curved and badly scaled, the classic test of a line
   * search.
   */
  private static double rosenbrock(double[] x, double[] g) {
    double a = 1 - x[0];
    double b = x[1] - x[0] * x[0];
    g[0] = -2 * a - 400 * x[0] * b;
    g[1] = 200 * b;
    return a * a + 100 * b * b;
  }

  @Test
  void findsTheMinimumOfRosenbrocksFunctionToTheTolerance() {
    List<Double> values = new ArrayList<>();
    Lbfgs.Result result =
        Lbfgs.minimize(
            LbfgsTest::rosenbrock,
            new double[] {-1.2, 1},
            new Lbfgs.Settings(5, 200, 1e-8),
            (iteration, x, value, gradientNorm) -> values.add(value));
    assertEquals(Lbfgs.Stop.CONVERGED, result.stop());
    assertTrue(result.gradientNorm() <= 1e-8, "gradient " + result.gradientNorm());
    assertArrayEquals(new double[] {1, 1}, result.x(), 1e-6);
    assertEquals(result.iterations(), values.size());
    for (int i = 1; i < values.size(); i++) {
      assertTrue(
          values.get(i) < values.get(i - 1), "every accepted step lowers f (sufficient decrease)");
    }
    assertTrue(
        result.iterations() < 60,
        "quasi-Newton speed, not gradient descent: " + result.iterations());
  }

  @Test
  void aQuadraticConvergesInFewIterationsAndTheLimitIsRespected() {
    double[] scale = {1, 10, 100, 1000};
    Lbfgs.Objective quadratic =
        (x, g) -> {
          double f = 0;
          for (int i = 0; i < x.length; i++) {
            f += 0.5 * scale[i] * (x[i] - i) * (x[i] - i);
            g[i] = scale[i] * (x[i] - i);
          }
          return f;
        };
    Lbfgs.Result result =
        Lbfgs.minimize(
            quadratic, new double[4], new Lbfgs.Settings(10, 100, 1e-10), (i, x, v, n) -> {});
    assertEquals(Lbfgs.Stop.CONVERGED, result.stop());
    assertArrayEquals(new double[] {0, 1, 2, 3}, result.x(), 1e-9);
    assertTrue(result.iterations() <= 12, "iterations " + result.iterations());

    Lbfgs.Result limited =
        Lbfgs.minimize(
            LbfgsTest::rosenbrock,
            new double[] {-1.2, 1},
            new Lbfgs.Settings(5, 3, 1e-8),
            (i, x, v, n) -> {});
    assertEquals(Lbfgs.Stop.MAX_ITERATIONS, limited.stop());
    assertEquals(3, limited.iterations());
  }

  @Test
  void theSameProblemGivesTheSameIterates() {
    Lbfgs.Settings settings = new Lbfgs.Settings(5, 200, 1e-8);
    double[] first =
        Lbfgs.minimize(LbfgsTest::rosenbrock, new double[] {-1.2, 1}, settings, (i, x, v, n) -> {})
            .x();
    double[] second =
        Lbfgs.minimize(LbfgsTest::rosenbrock, new double[] {-1.2, 1}, settings, (i, x, v, n) -> {})
            .x();
    assertArrayEquals(first, second, 0);
  }
}
