package dev.tltf.features.benchmark;

import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.BatchNormFolding;
import dev.tltf.features.backbone.InceptionV3;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.engine.Dnnl;
import dev.tltf.features.engine.OneDnnEngine;
import dev.tltf.features.image.ResizeMethod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The oneDNN engine beside the DL4J path (the folded inference graph either way, same weights), in
 * interleaved rounds so that load from other processes on this shared machine hits both alike:
 * images/s per batch size, their ratio, the GEMM ceiling, and the engine's RSS over many batches. A
 * measurement program, not a test.
 *
 * <pre>
 * java -cp … dev.tltf.features.benchmark.EngineSideBySide [size=299] [rounds=3] [rssBatches=2000] [rssSize=75]
 *     [batches=1,8,32]</pre>
 *
 * (rounds 0: no speed comparison; rssBatches 0: no RSS run).
 */
public final class EngineSideBySide {
  private EngineSideBySide() {}

  public static void main(String[] args) throws Exception {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 299;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int rssBatches = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int rssSize = args.length > 3 ? Integer.parseInt(args[3]) : 75;
    int[] batches =
        java.util.Arrays.stream((args.length > 4 ? args[4] : "1,8,32").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    ComputationGraph folded = BatchNormFolding.fold(InceptionV3.randomlyInitialised(size, 1), size);
    Backbone dl4j =
        new Backbone(
            folded, new BackboneSpec(new WeightsSource.Random(1), size, ResizeMethod.BILINEAR));
    System.out.printf(
        Locale.ROOT,
        "%s, isa %s, OMP_NUM_THREADS=%s, OMP_WAIT_POLICY=%s, %d px%n",
        Dnnl.version(),
        Dnnl.cpuIsa(),
        System.getenv("OMP_NUM_THREADS"),
        System.getenv("OMP_WAIT_POLICY"),
        size);
    try (OneDnnEngine engine = OneDnnEngine.lower(folded, size)) {
      for (int batch : rounds == 0 ? new int[0] : batches) {
        float[] images = images(batch, size);
        // Warm up: JIT, primitive creation, DL4J workspaces.
        engine.features(images, batch);
        dl4j.features(images, batch);
        engine.features(images, batch);
        dl4j.features(images, batch);
        System.out.printf(
            Locale.ROOT,
            "batch %d: engine primitives %s, native %.0f MB%n",
            batch,
            engine.implementations(batch),
            engine.nativeBytes(batch) / 1e6);
        List<Double> dl4jRates = new ArrayList<>();
        List<Double> engineRates = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        int passes = Math.max(1, 24 / batch);
        for (int round = 0; round < rounds; round++) {
          double d = rate(() -> dl4j.features(images, batch), batch, passes);
          double e = rate(() -> engine.features(images, batch), batch, passes);
          dl4jRates.add(d);
          engineRates.add(e);
          ratios.add(e / d);
          System.out.printf(
              Locale.ROOT,
              "  round %d: dl4j %.2f img/s, engine %.2f img/s, ratio %.2f%n",
              round + 1,
              d,
              e,
              e / d);
        }
        System.out.printf(
            Locale.ROOT,
            "batch %d: median dl4j %.2f img/s, engine %.2f img/s, ratio %.2f%n",
            batch,
            median(dl4jRates),
            median(engineRates),
            median(ratios));
      }
    }
    if (rounds > 0) {
      BatchTimer.Timing gemm = GemmCeiling.time(2048, new BatchTimer(5), 5, 2);
      double gflops = GemmCeiling.gflops(2048, gemm.median());
      System.out.printf(
          Locale.ROOT,
          "GEMM 2048³: %.1f GFLOP/s median, %.1f best (%d runs) → ceiling %.2f img/s "
              + "at 11.4 GFLOP/img%n",
          gflops,
          GemmCeiling.gflops(2048, gemm.best()),
          gemm.runs(),
          gflops / 11.4);
    }
    if (rssBatches > 0) {
      rss(rssSize, rssBatches);
    }
  }

  private static void rss(int size, int batches) throws Exception {
    ComputationGraph folded = BatchNormFolding.fold(InceptionV3.randomlyInitialised(size, 2), size);
    float[] images = images(8, size);
    try (OneDnnEngine engine = OneDnnEngine.lower(folded, size)) {
      for (int i = 1; i <= batches; i++) {
        engine.features(images, i % 10 == 0 ? 5 : 8); // every tenth a partial batch
        if (i == 10 || i % Math.max(1, batches / 10) == 0) {
          Runtime heap = Runtime.getRuntime();
          System.out.printf(
              Locale.ROOT,
              "RSS after %d batches of 8 at %d px: %.1f MB (heap committed %.0f MB)%n",
              i,
              size,
              rssMegabytes(),
              heap.totalMemory() / 1e6);
        }
      }
    }
  }

  private static double rate(Runnable pass, int batch, int passes) {
    long start = System.nanoTime();
    for (int i = 0; i < passes; i++) {
      pass.run();
    }
    return batch * passes / ((System.nanoTime() - start) / 1e9);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static float[] images(int count, int size) {
    Random random = new Random(count);
    float[] images = new float[count * 3 * size * size];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat() * 2 - 1;
    }
    return images;
  }

  private static double rssMegabytes() throws java.io.IOException {
    for (String line :
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
  }
}
