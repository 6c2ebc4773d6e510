package dev.tltf.features.benchmark;

import dev.tltf.common.benchmark.BenchmarkArgs;
import dev.tltf.common.benchmark.BenchmarkResults;
import dev.tltf.common.io.Sha256;
import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.backbone.OfficialLayoutWeights;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.engine.ForwardEngine;
import dev.tltf.features.image.ResizeMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Benchmark steps (a), (b) and (c): our InceptionV3 forward pass through the production path
 * ({@link Backbones#get}, what the feature job runs), the same network in TensorFlow Java and in
 * ONNX Runtime (the model export-model --format onnx writes) with the same weights and threads, and
 * the float32 GEMM rate of the same cores. The timings alternate in rounds (ours, TensorFlow's,
 * ONNX Runtime's, per batch size) so that all see the same machine; each figure is the median over
 * rounds, each ratio the median of the per-round ratios. TensorFlow and ONNX Runtime each run in a
 * {@link ChildBenchmark} JVM with {@code --threads} intra-op threads; ONNX Runtime is fed uint8
 * NHWC pixels ({@link NoiseImages}), ours the same pixels scaled, CHW.
 *
 * <pre>
 * ForwardBenchmark --weights W.h5 --tf-reference DIR|none --out R.txt --log-dir DIR
 *                  [--batches 1,8,32] [--seconds 10] [--rounds 3] [--gemm 2048] [--threads 2] [--prefix P]
 *                  [--onnxruntime on|off]   (default on)
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
    // The oneDNN engine lowered from the same folded graph: what the feature job runs by default.
    Backbone engine = Backbones.get(spec.withEngine(ForwardEngine.ONEDNN), new Configuration());
    // The reference graph (batch norm as its own layers), timed at one batch size: what the fast
    // path gained.
    Backbone reference = new Backbone(Backbones.build(spec, new Configuration()), spec);
    int referenceBatch = args.integer("reference-batch", 8);
    int threads = args.integer("threads", 2);
    // --tf-reference none: ours against ONNX Runtime only (a short run where the TensorFlow
    // reference is not built).
    String tfReference = args.text("tf-reference", "none");
    Path logDir = args.path("log-dir");
    // --onnxruntime off: without the ONNX Runtime column (bin/benchmark's OMP_WAIT_POLICY rerun:
    // ONNX Runtime has its own thread pool, no OpenMP, so that setting would not change it).
    String onnxRuntime = args.text("onnxruntime", "on");
    if (!onnxRuntime.equals("on") && !onnxRuntime.equals("off")) {
      throw new IllegalArgumentException(
          "--onnxruntime must be on or off, not '" + onnxRuntime + "'");
    }
    boolean withOnnx = onnxRuntime.equals("on");
    try (ChildBenchmark tf =
            tfReference.equals("none")
                ? null
                : TfBenchmarkProcess.start(
                    Path.of(tfReference),
                    weights,
                    SIZE,
                    threads,
                    logDir.resolve("tf-benchmark.log"));
        ChildBenchmark onnx =
            withOnnx ? startOnnxRuntime(backbone, threads, logDir, results, prefix) : null) {
      List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid()));
      for (ChildBenchmark child : Arrays.asList(tf, onnx)) {
        if (child != null) {
          pids.add(child.pid());
        }
      }
      ForeignLoad load = ForeignLoad.start(pids);
      Rounds gemm = new Rounds();
      for (int round = 0; round < rounds; round++) {
        int warmUp = round == 0 ? 2 : 1;
        double ours =
            GemmCeiling.gflops(n, GemmCeiling.time(n, timer, seconds / 2, warmUp).median());
        gemm.add(
            ours,
            tf == null
                ? Double.NaN
                : GemmCeiling.gflops(n, tf.gemm(n, seconds / 2, warmUp).median()),
            Double.NaN);
      }
      results.put(prefix + "gemm.n", n).put(prefix + "gemm.nd4j.gflops", gemm.ours());
      if (tf != null) {
        results.put(prefix + "gemm.tf.gflops", gemm.tf());
      }
      System.out.printf(
          "GEMM %d³ float32: ND4J %.1f GFLOP/s, TensorFlow %.1f GFLOP/s%n",
          n, gemm.ours(), gemm.tf());

      for (int batch : args.integers("batches", "1,8,32")) {
        float[] input = scaledChw(NoiseImages.pixels(batch, SIZE, batch), batch);
        Rounds forward = new Rounds();
        Rounds engineForward = new Rounds();
        Rounds referenceForward = new Rounds();
        for (int round = 0; round < rounds; round++) {
          int warmUp = round == 0 ? 2 : 1;
          BatchTimer.Timing ours =
              timer.time(() -> backbone.features(input, batch), seconds, warmUp);
          double tfRate = tf == null ? Double.NaN : rate(batch, tf.forward(batch, seconds, warmUp));
          double ortRate =
              onnx == null ? Double.NaN : rate(batch, onnx.forward(batch, seconds, warmUp));
          forward.add(rate(batch, ours), tfRate, ortRate);
          BatchTimer.Timing lowered =
              timer.time(() -> engine.features(input, batch), seconds, warmUp);
          engineForward.add(rate(batch, lowered), tfRate, ortRate);
          if (batch == referenceBatch) {
            BatchTimer.Timing before =
                timer.time(() -> reference.features(input, batch), seconds, warmUp);
            referenceForward.add(rate(batch, before), tfRate, ortRate);
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
        results.put(key + ".onednn.images_per_s", engineForward.ours());
        if (onnx != null) {
          results.put(key + ".onednn_over_onnxruntime", engineForward.oursOverOrt());
        }
        if (tf != null) {
          results.put(key + ".onednn_over_tf", engineForward.oursOverTf());
        }
        System.out.printf(
            "InceptionV3 299 px, batch %d: oneDNN engine (the job's default) %.2f images/s (%.1f GFLOP/s); "
                + "engine/TF %.2f, engine/ORT %.2f%n",
            batch,
            engineForward.ours(),
            engineForward.ours() * GFLOP_PER_IMAGE,
            engineForward.oursOverTf(),
            engineForward.oursOverOrt());
        if (onnx != null) {
          results
              .put(key + ".onnxruntime.images_per_s", forward.ort())
              .put(key + ".dl4j_over_onnxruntime", forward.oursOverOrt());
        }
        if (tf != null) {
          results
              .put(key + ".tf.images_per_s", forward.tf())
              .put(key + ".ratio", forward.oursOverTf());
        }
        System.out.printf(
            "InceptionV3 299 px, batch %d: DL4J %.2f images/s (%.1f GFLOP/s), TensorFlow %.2f "
                + "images/s, ONNX Runtime %.2f images/s (%.1f GFLOP/s); DL4J/TF %.2f, DL4J/ORT %.2f%n",
            batch,
            forward.ours(),
            forward.ours() * GFLOP_PER_IMAGE,
            forward.tf(),
            forward.ort(),
            forward.ort() * GFLOP_PER_IMAGE,
            forward.oursOverTf(),
            forward.oursOverOrt());
      }
      results
          .put(prefix + "forward.foreign_load_cores", load.cores())
          .put(prefix + "forward.rounds", rounds)
          .put(prefix + "forward.seconds_per_window", seconds);
      if (onnx != null) {
        results.put(prefix + "onnxruntime.session_seconds", onnx.loadSeconds());
      }
      if (tf != null) {
        results.put(prefix + "tf.graph_seconds", tf.loadSeconds());
      }
    }
    results.write(args.path("out"));
  }

  /**
   * Exports our backbone (+ a head) as ONNX and starts ONNX Runtime on it; notes the export time.
   */
  private static ChildBenchmark startOnnxRuntime(
      Backbone backbone, int threads, Path logDir, BenchmarkResults results, String prefix)
      throws java.io.IOException {
    long start = System.nanoTime();
    Path model = logDir.resolve("inception_v3_benchmark.onnx");
    OnnxRuntimeForward.export(backbone, model);
    results.put(prefix + "onnxruntime.export_seconds", (System.nanoTime() - start) / 1e9);
    return OnnxRuntimeForward.start(
        model, SIZE, threads, logDir.resolve("onnxruntime-benchmark.log"));
  }

  private static double rate(int batch, BatchTimer.Timing timing) {
    return batch / timing.median();
  }

  /**
   * Images/s of ours, TensorFlow's and ONNX Runtime's (NaN where a column is off), one triple per
   * round; each figure is the median over rounds, each ratio the median of the per-round ratios.
   */
  private static final class Rounds {
    private final List<Double> ours = new ArrayList<>();
    private final List<Double> tf = new ArrayList<>();
    private final List<Double> ort = new ArrayList<>();
    private final List<Double> oursOverTf = new ArrayList<>();
    private final List<Double> oursOverOrt = new ArrayList<>();

    void add(double ourRate, double tfRate, double ortRate) {
      ours.add(ourRate);
      tf.add(tfRate);
      ort.add(ortRate);
      oursOverTf.add(ourRate / tfRate);
      oursOverOrt.add(ourRate / ortRate);
    }

    double ours() {
      return median(ours);
    }

    double tf() {
      return median(tf);
    }

    double ort() {
      return median(ort);
    }

    double oursOverTf() {
      return median(oursOverTf);
    }

    double oursOverOrt() {
      return median(oursOverOrt);
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
