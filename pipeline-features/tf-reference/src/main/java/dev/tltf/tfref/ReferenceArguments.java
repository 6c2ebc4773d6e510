package dev.tltf.tfref;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's command line, parsed and checked before TensorFlow starts.
 *
 * <pre>
 * tensor --weights W.h5 --input X.f32 --count N --size S --out Y.f32 [--threads T]
 * images --weights W.h5 --size S --out Y.f32 [--threads T] FILE...
 * pixels --size S --out Y.f32 [--threads T] FILE...
 * benchmark --weights W.h5 --size S [--threads T]
 * </pre>
 */
record ReferenceArguments(
    Mode mode,
    Path weights,
    Path input,
    int count,
    int size,
    Path out,
    int threads,
    List<Path> images) {
  /**
   * {@code tensor}: preprocessed NHWC float32 in; {@code images}: image files decoded and resized
   * by TensorFlow; {@code pixels}: image files decoded and resized by TensorFlow, written out
   * unscaled (0..255; no weights, no network); {@code benchmark}: the graph built once, then timing
   * commands read from stdin ({@link BenchmarkServer}).
   */
  enum Mode {
    TENSOR,
    IMAGES,
    PIXELS,
    BENCHMARK
  }

  static final String USAGE =
      """
      usage: TfInceptionV3Reference tensor --weights W.h5 --input X.f32 --count N --size S --out Y.f32 [--threads T]
             TfInceptionV3Reference images --weights W.h5 --size S --out Y.f32 [--threads T] FILE...
             TfInceptionV3Reference pixels --size S --out Y.f32 [--threads T] FILE...
             TfInceptionV3Reference benchmark --weights W.h5 --size S [--threads T]   (commands on stdin)
        X.f32: float32 little-endian [N, S, S, 3], already scaled to [-1, 1]; Y.f32: float32 little-endian [N, 2048]
        (pixels: [N, S, S, 3], the files decoded and resized by TensorFlow, not scaled: 0..255).
        --threads: TensorFlow's intra-op threads. Defaults to 2.""";

  /**
   * The smallest input Keras accepts for InceptionV3: every 'valid' stage keeps at least one pixel.
   */
  static final int MIN_SIZE = 75;

  static final int DEFAULT_THREADS = 2;

  /** The number of images this run computes features for. */
  int imageCount() {
    return mode == Mode.TENSOR ? count : images.size();
  }

  static ReferenceArguments parse(String[] args) {
    if (args.length == 0) {
      throw new UsageException("Missing mode (tensor, images, pixels or benchmark).");
    }
    Mode mode =
        switch (args[0]) {
          case "tensor" -> Mode.TENSOR;
          case "images" -> Mode.IMAGES;
          case "pixels" -> Mode.PIXELS;
          case "benchmark" -> Mode.BENCHMARK;
          default ->
              throw new UsageException(
                  "Invalid mode: " + args[0] + " (must be tensor, images, pixels or benchmark).");
        };
    Path weights = null;
    Path input = null;
    Path out = null;
    Integer count = null;
    Integer size = null;
    int threads = DEFAULT_THREADS;
    List<Path> images = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String flag = args[i];
      if (!flag.startsWith("--")) {
        images.add(Path.of(flag));
        continue;
      }
      if (i + 1 == args.length) {
        throw new UsageException("Missing value for " + flag + ".");
      }
      String value = args[++i];
      switch (flag) {
        case "--weights" -> weights = Path.of(value);
        case "--input" -> input = Path.of(value);
        case "--out" -> out = Path.of(value);
        case "--count" -> count = positive(flag, value, 1);
        case "--size" -> size = positive(flag, value, MIN_SIZE);
        case "--threads" -> threads = positive(flag, value, 1);
        default -> throw new UsageException("Unknown flag: " + flag + ".");
      }
    }
    if (mode == Mode.PIXELS) {
      require(
          weights == null && input == null && count == null,
          "pixels mode takes only --size, --out, --threads " + "and image files.");
      require(size != null, "Missing --size.");
      require(out != null, "Missing --out.");
      require(!images.isEmpty(), "Missing image files (pixels mode).");
      return new ReferenceArguments(mode, null, null, 0, size, out, threads, List.copyOf(images));
    }
    require(weights != null, "Missing --weights.");
    require(Files.isRegularFile(weights), "Cannot read --weights " + weights + ": no such file.");
    require(size != null, "Missing --size.");
    if (mode == Mode.BENCHMARK) {
      require(
          input == null && count == null && out == null && images.isEmpty(),
          "benchmark mode takes only --weights, --size and --threads.");
      return new ReferenceArguments(mode, weights, null, 0, size, null, threads, List.of());
    }
    require(out != null, "Missing --out.");
    if (mode == Mode.TENSOR) {
      require(input != null, "Missing --input (tensor mode).");
      require(count != null, "Missing --count (tensor mode).");
      require(images.isEmpty(), "Unexpected arguments in tensor mode: " + images + ".");
      return new ReferenceArguments(mode, weights, input, count, size, out, threads, List.of());
    }
    require(
        input == null && count == null,
        "--input and --count belong to tensor mode; images mode takes files.");
    require(!images.isEmpty(), "Missing image files (images mode).");
    return new ReferenceArguments(mode, weights, null, 0, size, out, threads, List.copyOf(images));
  }

  private static int positive(String flag, String value, int minimum) {
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException(
          "Invalid " + flag + ": " + value + " (must be a whole number ≥ " + minimum + ").");
    }
    require(parsed >= minimum, "Invalid " + flag + ": " + value + " (must be ≥ " + minimum + ").");
    return parsed;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new UsageException(message);
    }
  }

  /** A command line the reference cannot run; the message says which argument and why. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
