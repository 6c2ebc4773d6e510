package dev.tltf.tfref;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * An independent InceptionV3 ({@code avg_pool} features) built from TensorFlow's own ops and a
 * Keras weight file, for pipeline-features' fidelity tests to check the DL4J backbone against. It
 * runs in its own JVM because TF Java and ND4J need different JavaCPP versions. See {@link
 * ReferenceArguments#USAGE} for the command line.
 *
 * <p>Exit status: 0 when the features were written; 2 for a bad command line or an input the
 * reference refuses (the one-line reason goes to stderr); 1 for anything else.
 */
public final class TfInceptionV3Reference {
  private TfInceptionV3Reference() {}

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  static int run(String[] args, PrintStream log) {
    ReferenceArguments arguments;
    try {
      arguments = ReferenceArguments.parse(args);
    } catch (ReferenceArguments.UsageException e) {
      log.println(e.getMessage());
      log.println(ReferenceArguments.USAGE);
      return 2;
    }
    try {
      if (arguments.mode() == ReferenceArguments.Mode.BENCHMARK) {
        return BenchmarkServer.serve(arguments, System.out);
      }
      long start = System.nanoTime();
      float[] input = input(arguments);
      if (arguments.mode() == ReferenceArguments.Mode.PIXELS) {
        Float32Files.write(arguments.out(), input);
        log.printf(
            "TensorFlow pixels: %d image(s) decoded and resized (not scaled) to %d px in %.1f s%n",
            arguments.imageCount(), arguments.size(), (System.nanoTime() - start) / 1e9);
        return 0;
      }
      float[] features;
      try (TfInceptionV3 network =
          TfInceptionV3.load(arguments.weights(), arguments.size(), arguments.threads())) {
        long built = System.nanoTime();
        features = network.features(input, arguments.imageCount());
        log.printf(
            "TensorFlow InceptionV3: %d image(s) of %d px, input and graph ready in %.1f s, forward pass "
                + "%.1f s%n",
            arguments.imageCount(),
            arguments.size(),
            (built - start) / 1e9,
            (System.nanoTime() - built) / 1e9);
      }
      Float32Files.write(arguments.out(), features);
      return 0;
    } catch (InvalidInputException e) {
      log.println(e.getMessage());
      return 2;
    }
  }

  /**
   * The batch, NHWC: read from --input, or decoded, resized and (except in pixels mode) scaled by
   * TensorFlow from the image files.
   */
  private static float[] input(ReferenceArguments arguments) {
    int size = arguments.size();
    if (arguments.mode() == ReferenceArguments.Mode.TENSOR) {
      return Float32Files.read(arguments.input(), (long) arguments.count() * size * size * 3);
    }
    List<Path> files = arguments.images();
    int perImage = size * size * 3;
    float[] batch = new float[Math.multiplyExact(files.size(), perImage)];
    boolean scaled = arguments.mode() != ReferenceArguments.Mode.PIXELS;
    try (TfImageLoader loader = TfImageLoader.create(size, arguments.threads(), scaled)) {
      for (int i = 0; i < files.size(); i++) {
        System.arraycopy(loader.load(files.get(i)), 0, batch, i * perImage, perImage);
      }
    }
    return batch;
  }
}
