package dev.tltf.features.export.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * An exported model loaded in ONNX Runtime's Java API (the test-side proof that the files are valid
 * ONNX and compute what DL4J computes). One session, {@code threads} intra-op threads.
 */
public final class OnnxRuntimeModel implements AutoCloseable {
  private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  private OnnxRuntimeModel(OrtSession session) {
    this.session = session;
  }

  public static OnnxRuntimeModel load(Path file, int threads) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      return new OnnxRuntimeModel(ENVIRONMENT.createSession(file.toString(), options));
    }
  }

  public static OnnxRuntimeModel load(byte[] model, int threads) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      return new OnnxRuntimeModel(ENVIRONMENT.createSession(model, options));
    }
  }

  public Map<String, String> metadata() throws OrtException {
    return session.getMetadata().getCustomMetadata();
  }

  public String producer() throws OrtException {
    return session.getMetadata().getProducerName();
  }

  /**
   * Runs the image model on {@code count} uint8 NHWC images of {@code size}² pixels; returns the
   * named outputs.
   */
  public Outputs runImages(byte[] pixels, int count, int size) throws OrtException {
    try (OnnxTensor input =
        OnnxTensor.createTensor(
            ENVIRONMENT,
            ByteBuffer.wrap(pixels),
            new long[] {count, size, size, 3},
            OnnxJavaType.UINT8)) {
      return run(Map.of(OnnxExport.IMAGE, input));
    }
  }

  /** Runs the head-only model on stored vectors. */
  public Outputs runFeatures(float[][] vectors) throws OrtException {
    float[] flat = new float[vectors.length * vectors[0].length];
    for (int i = 0; i < vectors.length; i++) {
      System.arraycopy(vectors[i], 0, flat, i * vectors[0].length, vectors[0].length);
    }
    try (OnnxTensor input =
        OnnxTensor.createTensor(
            ENVIRONMENT, FloatBuffer.wrap(flat), new long[] {vectors.length, vectors[0].length})) {
      return run(Map.of(OnnxExport.FEATURES, input));
    }
  }

  private Outputs run(Map<String, OnnxTensor> inputs) throws OrtException {
    try (OrtSession.Result result = session.run(inputs)) {
      float[][] probabilities =
          (float[][]) result.get(OnnxExport.PROBABILITIES).orElseThrow().getValue();
      float[][] features =
          result.get(OnnxExport.FEATURES).isPresent()
              ? (float[][]) result.get(OnnxExport.FEATURES).get().getValue()
              : null;
      return new Outputs(features, probabilities);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }

  /** {@code features} is null for the head-only model. */
  public record Outputs(float[][] features, float[][] probabilities) {}

  /** max |a − b| / max |b|, the comparison the fidelity tests use for vectors. */
  public static double relativeDifference(float[][] actual, float[][] reference) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < reference.length; i++) {
      for (int j = 0; j < reference[i].length; j++) {
        diff = Math.max(diff, Math.abs(actual[i][j] - reference[i][j]));
        scale = Math.max(scale, Math.abs(reference[i][j]));
      }
    }
    return diff / scale;
  }

  /** max |a − b|. */
  public static double maxDifference(float[][] actual, float[][] reference) {
    double diff = 0;
    for (int i = 0; i < reference.length; i++) {
      for (int j = 0; j < reference[i].length; j++) {
        diff = Math.max(diff, Math.abs(actual[i][j] - reference[i][j]));
      }
    }
    return diff;
  }
}
