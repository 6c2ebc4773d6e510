package dev.tltf.features.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.NativeSetup;
import dev.tltf.features.engine.LoweredGraph.Convolution;
import dev.tltf.features.engine.LoweredGraph.Padding;
import dev.tltf.features.engine.LoweredGraph.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's natives (libnd4jcpu.so with its own static oneDNN 2.3 and libgomp) and the dnnl preset's
 * (libdnnl.so.2, oneDNN 2.5) in one JVM: both compute correctly, interleaved, and the process maps
 * one OpenMP runtime.
 */
class DnnlCoexistenceTest {
  private static final int BATCH = 2;
  private static final int CHANNELS = 3;
  private static final int SIZE = 9;
  private static final int OUT = 20;

  @Test
  void nd4jAndTheDnnlPresetBothComputeCorrectlyInOneJvm() throws IOException {
    NativeSetup.ensure();
    float[] input = NaiveConvolution.random(BATCH * CHANNELS * SIZE * SIZE, 1);
    float[] weights = NaiveConvolution.random(OUT * CHANNELS * 3 * 3, 2);
    float[] bias = NaiveConvolution.random(OUT, 3);
    float[] expected =
        NaiveConvolution.run(
            input, BATCH, CHANNELS, SIZE, SIZE, weights, bias, OUT, 3, 3, 1, 1, 1, SIZE, SIZE,
            true);

    for (int round = 0; round < 2; round++) {
      assertNd4jGemm();
      assertNd4jConvolution(input, weights, bias, expected);
      assertDnnlConvolution(input, weights, bias, expected);
    }

    Set<String> gomps = mappedLibraries("libgomp");
    System.out.println(
        "coexistence: "
            + Dnnl.version()
            + ", isa "
            + Dnnl.cpuIsa()
            + "; libgomp mapped: "
            + gomps
            + "; libdnnl: "
            + mappedLibraries("libdnnl")
            + "; libnd4jcpu: "
            + mappedLibraries("libnd4jcpu"));
    assertEquals(1, mappedLibraries("libdnnl").size(), "libdnnl.so.2 should be loaded");
    assertEquals(1, mappedLibraries("libnd4jcpu").size(), "libnd4jcpu.so should be loaded");
    assertTrue(gomps.size() <= 1, "more than one OpenMP runtime in the process: " + gomps);
  }

  private static void assertNd4jGemm() {
    float[] a = NaiveConvolution.random(64 * 80, 4);
    float[] b = NaiveConvolution.random(80 * 48, 5);
    float[] product =
        Nd4j.create(a, new long[] {64, 80}, 'c')
            .mmul(Nd4j.create(b, new long[] {80, 48}, 'c'))
            .dup('c')
            .data()
            .asFloat();
    double maxDiff = 0;
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < 48; j++) {
        double sum = 0;
        for (int k = 0; k < 80; k++) {
          sum += (double) a[i * 80 + k] * b[k * 48 + j];
        }
        maxDiff = Math.max(maxDiff, Math.abs(sum - product[i * 48 + j]));
      }
    }
    assertTrue(maxDiff < 1e-3, "ND4J GEMM off by " + maxDiff);
  }

  private static void assertNd4jConvolution(
      float[] input, float[] weights, float[] bias, float[] expected) {
    INDArray in = Nd4j.create(input, new long[] {BATCH, CHANNELS, SIZE, SIZE}, 'c');
    // ND4J's conv2d wants [kh, kw, in, out] weights.
    INDArray w =
        Nd4j.create(weights, new long[] {OUT, CHANNELS, 3, 3}, 'c').permute(2, 3, 1, 0).dup('c');
    INDArray out =
        Nd4j.cnn()
            .conv2d(
                in,
                w,
                Nd4j.create(bias, new long[] {OUT}, 'c'),
                Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).build());
    float[] actual =
        org.nd4j.linalg.ops.transforms.Transforms.relu(out, true).dup('c').data().asFloat();
    double diff = NaiveConvolution.maxAbsDifference(actual, expected);
    assertTrue(diff < 1e-4, "ND4J conv2d off by " + diff);
  }

  private static void assertDnnlConvolution(
      float[] input, float[] weights, float[] bias, float[] expected) {
    LoweredGraph graph =
        new LoweredGraph(
            "in",
            new Shape(CHANNELS, SIZE, SIZE),
            List.of(
                new Convolution(
                    "conv",
                    "in",
                    new Shape(OUT, SIZE, SIZE),
                    3,
                    3,
                    1,
                    1,
                    new Padding(1, 1, 1, 1),
                    weights,
                    bias,
                    true)));
    try (OneDnnEngine engine = OneDnnEngine.of(graph)) {
      float[][] features = engine.features(input, BATCH);
      float[] actual = new float[expected.length];
      for (int n = 0; n < BATCH; n++) {
        System.arraycopy(features[n], 0, actual, n * features[n].length, features[n].length);
      }
      double diff = NaiveConvolution.maxAbsDifference(actual, expected);
      assertTrue(diff < 1e-4, "dnnl convolution off by " + diff);
      System.out.println("coexistence: dnnl primitives " + engine.implementations(BATCH));
    }
  }

  private static Set<String> mappedLibraries(String name) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .map(line -> line.substring(line.lastIndexOf(' ') + 1))
        .filter(path -> path.contains("/" + name))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
