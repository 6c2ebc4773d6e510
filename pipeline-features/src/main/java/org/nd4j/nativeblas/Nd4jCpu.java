package org.nd4j.nativeblas;

/**
 * Workaround for a DL4J 1.0.0-M2.1 bug that silently turns oneDNN off for every layer (and makes
 * InceptionV3 5–8× slower). DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} decides whether conv /
 * batch-norm / pooling layers may use oneDNN by reflecting on {@code
 * org.nd4j.nativeblas.Nd4jCpu$Environment#getInstance()#isUseMKLDNN()}, a class that ND4J M2.1
 * renamed to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} with {@code
 * isUseONEDNN()}. The lookup fails, the failure is remembered for the life of the JVM, and every
 * helper is dropped (one ERROR log line is the only trace). This class answers the old name with
 * the new answer.
 *
 * <p>Only reflection reaches this class. {@code Dl4jWorkaroundsTest} fails when upstream fixes the
 * lookup (delete this class then) or when this answer stops enabling the helpers.
 */
public final class Nd4jCpu {
  private Nd4jCpu() {}

  /** The shape DL4J looks for: a singleton with {@code isUseMKLDNN()}. */
  public static final class Environment {
    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    public boolean isUseMKLDNN() {
      return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
    }
  }
}
