package dev.tltf.features.benchmark;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The child side of the ONNX Runtime column ({@link ChildBenchmark}'s protocol, {@code forward}
 * only): one session on the exported model, CPU, {@code THREADS} intra-op threads and one inter-op
 * thread, otherwise ONNX Runtime's defaults (what a user gets). Each timed run is what a server
 * does per request: wrap the uint8 NHWC pixels as the {@code image} tensor, run, read both outputs.
 * Its classpath is ONNX Runtime's jar and this module's classes, nothing of ND4J's.
 *
 * <pre>
 * OnnxRuntimeServer MODEL.onnx SIZE THREADS
 * </pre>
 */
public final class OnnxRuntimeServer {
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final int size;
  private final BatchTimer timer = new BatchTimer(3);

  private OnnxRuntimeServer(OrtEnvironment environment, OrtSession session, int size) {
    this.environment = environment;
    this.session = session;
    this.size = size;
  }

  public static void main(String[] argv) throws Exception {
    long start = System.nanoTime();
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(Integer.parseInt(argv[2]));
      options.setInterOpNumThreads(1);
      try (OrtSession session = environment.createSession(argv[0], options)) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.printf(Locale.ROOT, "ready %.3f%n", (System.nanoTime() - start) / 1e9);
        new OnnxRuntimeServer(environment, session, Integer.parseInt(argv[1])).serve(out);
      }
    }
  }

  private void serve(PrintStream out) throws IOException {
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = commands.readLine(); line != null; line = commands.readLine()) {
      String[] words = line.trim().split("\\s+", -1);
      if (words[0].equals("quit")) {
        return;
      }
      if (!words[0].equals("forward")) {
        out.println("error unknown command: " + line);
        continue;
      }
      int batch = Integer.parseInt(words[1]);
      byte[] pixels = NoiseImages.pixels(batch, size, batch);
      BatchTimer.Timing timing =
          timer.time(
              () -> run(pixels, batch), Double.parseDouble(words[2]), Integer.parseInt(words[3]));
      out.println(ChildBenchmark.answer(timing));
    }
  }

  private void run(byte[] pixels, int batch) {
    try (OnnxTensor image =
            OnnxTensor.createTensor(
                environment,
                ByteBuffer.wrap(pixels),
                new long[] {batch, size, size, 3},
                OnnxJavaType.UINT8);
        OrtSession.Result result = session.run(Map.of("image", image))) {
      if (result.get("probabilities").isEmpty() || result.get("features").isEmpty()) {
        throw new IllegalStateException("The exported model lacks probabilities or features");
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed", e);
    }
  }
}
