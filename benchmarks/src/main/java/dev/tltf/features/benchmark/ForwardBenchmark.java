package dev.tltf.features.benchmark;

import dev.tltf.common.benchmark.BenchmarkArgs;
import dev.tltf.common.benchmark.BenchmarkResults;
import dev.tltf.common.io.Sha256;
import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.backbone.OfficialLayoutWeights;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.image.ResizeMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;

/**
 * Benchmark steps (a), (b) and (c): our InceptionV3 forward pass through the production path
 * ({@link Backbones#get}, what the feature job runs), the same network in TensorFlow Java and in
 * ONNX Runtime (the model export-model --format onnx writes) with the same weights and threads, and
 * the float32 GEMM rate of the same cores. The timings alternate in rounds (ours, TensorFlow's,
 * ONNX Runtime's, per batch size) so that all see the same machine; each figure is the median over
 * rounds, each ratio the median of the per-round ratios. ONNX Runtime runs in this JVM with {@code
 * --threads} intra-op threads and is fed uint8 NHWC pixels; ours gets the same pixels scaled, CHW.
 *
 * <pre>
 * ForwardBenchmark --weights W.h5 --tf-reference DIR|none --out R.txt --log-dir DIR
 *                  [--batches 1,8,32] [--seconds 10] [--rounds 3] [--gemm 2048] [--threads 2] [--prefix P]
 *                  [--onnxruntime on|off]
 * </pre>
 *
 * {@code --prefix} is put before every result key, so that a second run under other settings
 * (bin/benchmark runs one with {@code OMP_WAIT_POLICY=PASSIVE}) keeps its own figures. Writes the
 * weight file (official layout, seeded values) if it does not exist yet.
 */
public final class ForwardBenchmark {
  /** 2 × 5.71 G multiply-adds per 299 px image (DESIGN.md). */
  static final double GFLOP_PER_IMAGE = 11.4;

  static final int SIZE = 299;

  private ForwardBenchmark() {}

  public static void main(String[] argv) throws Exception {
    BenchmarkArgs args = BenchmarkArgs.parse(argv);
    Path weights = args.path("weights");
    if (!Files.isRegularFile(weights)) {
      Files.createDirectories(weights.toAbsolutePath().getParent());
      OfficialLayoutWeights.write(weights, 20_240_611);
    }
    double seconds = args.number("seconds", 10);
    int rounds = args.integer("rounds", 3);
    int n = args.integer("gemm", 2048);
    BatchTimer timer = new BatchTimer(3);
    BenchmarkResults results = new BenchmarkResults();
    String prefix = args.text("prefix", "");

    BackboneSpec spec = spec(weights);
    Backbone backbone = Backbones.get(spec, new Configuration());
    // The reference graph (batch norm as its own layers), timed at one batch size: what the fast
    // path gained.
    Backbone reference = new Backbone(Backbones.build(spec, new Configuration()), spec);
    int referenceBatch = args.integer("reference-batch", 8);
    int threads = args.integer("threads", 2);
    // --tf-reference none: ours against ONNX Runtime only (a short run where the TensorFlow
    // reference is not built).
    String tfReference = args.text("tf-reference", "none");
    TfBenchmarkProcess tf =
        tfReference.equals("none")
            ? null
            : TfBenchmarkProcess.start(
                Path.of(tfReference),
                weights,
                SIZE,
                threads,
                args.path("log-dir").resolve("tf-benchmark.log"));
    // --onnxruntime on: the ONNX Runtime column. Off by default for now: ONNX Runtime 1.29 was seen
    // to crash (SIGSEGV
    // while creating a session) in a plain `java -cp <this long classpath>` JVM, though not under
    // surefire.
    boolean withOnnx = args.text("onnxruntime", "off").equals("on");
    try (tf;
        OnnxRuntimeForward onnx =
            withOnnx ? OnnxRuntimeForward.start(backbone, threads, args.path("log-dir")) : null) {
      ForeignLoad load =
          ForeignLoad.start(
              tf == null
                  ? List.of(ProcessHandle.current().pid())
                  : List.of(ProcessHandle.current().pid(), tf.pid()));
      Rounds gemm = new Rounds();
      for (int round = 0; round < rounds; round++) {
        int warmUp = round == 0 ? 2 : 1;
        double ours =
            GemmCeiling.gflops(n, GemmCeiling.time(n, timer, seconds / 2, warmUp).median());
        gemm.add(
            ours,
            tf == null
                ? Double.NaN
                : GemmCeiling.gflops(n, tf.gemm(n, seconds / 2, warmUp).median()));
      }
      results.put(prefix + "gemm.n", n).put(prefix + "gemm.nd4j.gflops", gemm.ours());
      if (tf != null) {
        results.put(prefix + "gemm.tf.gflops", gemm.theirs());
      }
      System.out.printf(
          "GEMM %d³ float32: ND4J %.1f GFLOP/s, TensorFlow %.1f GFLOP/s%n",
          n, gemm.ours(), gemm.theirs());

      for (int batch : args.integers("batches", "1,8,32")) {
        byte[] pixels = randomPixels(batch, batch);
        float[] input = scaledChw(pixels, batch);
        Rounds forward = new Rounds();
        Rounds versusOnnx = new Rounds();
        Rounds referenceForward = new Rounds();
        for (int round = 0; round < rounds; round++) {
          int warmUp = round == 0 ? 2 : 1;
          BatchTimer.Timing ours =
              timer.time(() -> backbone.features(input, batch), seconds, warmUp);
          BatchTimer.Timing theirs = tf == null ? null : tf.forward(batch, seconds, warmUp);
          BatchTimer.Timing ort =
              onnx == null
                  ? null
                  : timer.time(() -> onnx.forward(pixels, batch, SIZE), seconds, warmUp);
          forward.add(batch / ours.median(), theirs == null ? Double.NaN : batch / theirs.median());
          versusOnnx.add(batch / ours.median(), ort == null ? Double.NaN : batch / ort.median());
          if (batch == referenceBatch) {
            BatchTimer.Timing before =
                timer.time(() -> reference.features(input, batch), seconds, warmUp);
            referenceForward.add(
                batch / before.median(), theirs == null ? Double.NaN : batch / theirs.median());
          }
        }
        String key = prefix + "forward.b" + batch;
        if (batch == referenceBatch) {
          results.put(key + ".dl4j_reference_graph.images_per_s", referenceForward.ours());
          System.out.printf(
              "  reference graph (batch norm unfolded), batch %d: %.2f images/s%n",
              batch, referenceForward.ours());
        }
        results.put(key + ".dl4j.images_per_s", forward.ours());
        if (onnx != null) {
          results
              .put(key + ".onnxruntime.images_per_s", versusOnnx.theirs())
              .put(key + ".dl4j_over_onnxruntime", versusOnnx.ratio());
        }
        if (tf != null) {
          results
              .put(key + ".tf.images_per_s", forward.theirs())
              .put(key + ".ratio", forward.ratio());
        }
        System.out.printf(
            "InceptionV3 299 px, batch %d: DL4J %.2f images/s (%.1f GFLOP/s), TensorFlow %.2f "
                + "images/s, ONNX Runtime %.2f images/s (%.1f GFLOP/s); DL4J/TF %.2f, DL4J/ORT %.2f%n",
            batch,
            forward.ours(),
            forward.ours() * GFLOP_PER_IMAGE,
            forward.theirs(),
            versusOnnx.theirs(),
            versusOnnx.theirs() * GFLOP_PER_IMAGE,
            forward.ratio(),
            versusOnnx.ratio());
      }
      results
          .put(prefix + "forward.foreign_load_cores", load.cores())
          .put(prefix + "forward.rounds", rounds)
          .put(prefix + "forward.seconds_per_window", seconds);
      if (onnx != null) {
        results.put(prefix + "onnxruntime.export_seconds", onnx.exportSeconds());
      }
      if (tf != null) {
        results.put(prefix + "tf.graph_seconds", tf.graphSeconds());
      }
    }
    results.write(args.path("out"));
  }

  /** Paired measurements of ours and TensorFlow's, one pair per round. */
  private static final class Rounds {
    private final List<Double> ours = new ArrayList<>();
    private final List<Double> theirs = new ArrayList<>();
    private final List<Double> ratios = new ArrayList<>();

    void add(double ourRate, double theirRate) {
      ours.add(ourRate);
      theirs.add(theirRate);
      ratios.add(ourRate / theirRate);
    }

    double ours() {
      return median(ours);
    }

    double theirs() {
      return median(theirs);
    }

    double ratio() {
      return median(ratios);
    }

    private static double median(List<Double> values) {
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      int m = sorted.size() / 2;
      return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }
  }

  static BackboneSpec spec(Path weights) throws java.io.IOException {
    String sha256 = Sha256.hex(Files.readAllBytes(weights));
    return new BackboneSpec(
        new WeightsSource.KerasFile(weights.toAbsolutePath().toString(), sha256),
        SIZE,
        ResizeMethod.BILINEAR);
  }

  /**
   * {@code count} images of uniform noise, uint8 NHWC: what a serving client sends to the ONNX
   * model.
   */
  static byte[] randomPixels(int count, long seed) {
    byte[] pixels = new byte[count * SIZE * SIZE * 3];
    new Random(seed).nextBytes(pixels);
    return pixels;
  }

  /** The same images as our backbone takes them: {@code x / 127.5 − 1}, CHW. */
  static float[] scaledChw(byte[] pixels, int count) {
    float[] values = new float[pixels.length];
    int plane = SIZE * SIZE;
    for (int n = 0; n < count; n++) {
      for (int i = 0; i < plane; i++) {
        for (int c = 0; c < 3; c++) {
          values[(n * 3 + c) * plane + i] = (pixels[(n * plane + i) * 3 + c] & 0xFF) / 127.5f - 1f;
        }
      }
    }
    return values;
  }
}
