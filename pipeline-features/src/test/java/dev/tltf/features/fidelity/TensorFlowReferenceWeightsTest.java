package dev.tltf.features.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.features.backbone.OfficialLayoutWeights;
import dev.tltf.features.backbone.OfficialLayoutWeights.LayerWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference checks every dataset of the weight file against its own encoding of InceptionV3
 * before it computes anything: a file that does not hold the network it encodes must not yield
 * "reference" features.
 */
class TensorFlowReferenceWeightsTest {
  private static final int SIZE = 75;

  @TempDir Path dir;

  @Test
  void aKernelWithRowsAndColumnsSwappedIsRefusedWithTheLayerNamed() {
    // conv2d_33 is mixed4's first 1×7: (1, 7, 128, 128). Stored as 7×1 it would still run,
    // transposed.
    Path weights = dir.resolve("swapped.h5");
    OfficialLayoutWeights.write(
        weights,
        1,
        layers ->
            layers.stream()
                .map(
                    layer ->
                        !layer.layer().equals("conv2d_33")
                            ? layer
                            : new LayerWeights(
                                "conv2d_33", Map.of("kernel:0", new long[] {7, 1, 128, 128})))
                .toList());
    Path input = dir.resolve("zeros.f32");
    TfReference.writeFloats(input, new float[SIZE * SIZE * 3]);

    TfReference.Outcome outcome =
        TfReference.built(dir)
            .run(
                List.of(
                    "tensor",
                    "--weights",
                    weights.toString(),
                    "--input",
                    input.toString(),
                    "--count",
                    "1",
                    "--size",
                    Integer.toString(SIZE),
                    "--out",
                    dir.resolve("features.f32").toString()));

    assertEquals(2, outcome.exitStatus(), outcome.output());
    assertTrue(
        outcome
            .output()
            .contains(
                "Invalid weights "
                    + weights
                    + ": layer conv2d_33 has kernel:0 shaped "
                    + "(7, 1, 128, 128), expected (1, 7, 128, 128)."),
        outcome.output());
    assertFalse(
        Files.exists(dir.resolve("features.f32")), "features were written for a refused file");
  }
}
