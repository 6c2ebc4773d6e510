package dev.tltf.features.backbone;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Writes HDF5 files in the layout of the official Keras InceptionV3 notop file (root attribute
 * {@code layer_names}; per layer a group with attribute {@code weight_names} and datasets {@code
 * /conv2d_N/conv2d_N/kernel:0} shaped (kh, kw, in, out) and {@code
 * /batch_normalization_N/batch_normalization_N/{beta,moving_mean,moving_variance}:0}), filled with
 * seeded values that keep activations in a sane range through 94 layers: He-scaled kernels, small
 * betas and means, variances near 1. Options damage the layout for the negative tests.
 */
public final class OfficialLayoutWeights {
  /** The datasets of one layer, in file order: name → shape. */
  public record LayerWeights(String layer, Map<String, long[]> shapes) {}

  private OfficialLayoutWeights() {}

  /** The layers and shapes the official file has, in creation order. */
  static List<LayerWeights> officialLayers() {
    ComputationGraph graph = InceptionV3.randomlyInitialised(InceptionV3.DEFAULT_INPUT_SIZE, 0);
    List<LayerWeights> convs = new ArrayList<>();
    List<LayerWeights> norms = new ArrayList<>();
    for (int n = 1; n <= InceptionV3.CONV_LAYERS; n++) {
      Layer conv = graph.getLayer("conv2d_" + n);
      long[] w = conv.getParam("W").shape(); // [out, in, kh, kw]
      convs.add(
          new LayerWeights("conv2d_" + n, Map.of("kernel:0", new long[] {w[2], w[3], w[1], w[0]})));
      long channels = graph.getLayer("batch_normalization_" + n).getParam("beta").length();
      Map<String, long[]> bn = new LinkedHashMap<>();
      bn.put("beta:0", new long[] {channels});
      bn.put("moving_mean:0", new long[] {channels});
      bn.put("moving_variance:0", new long[] {channels});
      norms.add(new LayerWeights("batch_normalization_" + n, bn));
      if (!(conv.conf().getLayer() instanceof ConvolutionLayer)
          || !(graph.getLayer("batch_normalization_" + n).conf().getLayer()
              instanceof BatchNormalization)) {
        throw new IllegalStateException("unexpected layer types at " + n);
      }
    }
    List<LayerWeights> all = new ArrayList<>();
    for (int i = 0; i < convs.size(); i++) {
      all.add(convs.get(i));
      all.add(norms.get(i));
    }
    return all;
  }

  /** An official-layout file with seeded values. */
  public static void write(Path file, long seed) {
    write(file, seed, layers -> layers);
  }

  /**
   * As {@link #write(Path, long)}, after {@code edit} changes the list of layers (drop one, change
   * a shape).
   */
  public static void write(
      Path file, long seed, Function<List<LayerWeights>, List<LayerWeights>> edit) {
    Random random = new Random(seed);
    List<LayerWeights> layers = edit.apply(officialLayers());
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      hdf.putAttribute(
          "layer_names", layers.stream().map(LayerWeights::layer).toArray(String[]::new));
      hdf.putAttribute("backend", "tensorflow");
      hdf.putAttribute("keras_version", "2.1.5");
      for (LayerWeights layer : layers) {
        WritableGroup group = hdf.putGroup(layer.layer());
        group.putAttribute(
            "weight_names",
            layer.shapes().keySet().stream()
                .map(w -> layer.layer() + "/" + w)
                .toArray(String[]::new));
        WritableGroup inner = group.putGroup(layer.layer());
        for (Map.Entry<String, long[]> weight : layer.shapes().entrySet()) {
          inner.putDataset(weight.getKey(), values(weight.getKey(), weight.getValue(), random));
        }
      }
    }
  }

  private static Object values(String weight, long[] shape, Random random) {
    if (shape.length == 4) {
      int kh = (int) shape[0];
      int kw = (int) shape[1];
      int in = (int) shape[2];
      int out = (int) shape[3];
      double std = Math.sqrt(2.0 / (kh * kw * in));
      float[][][][] kernel = new float[kh][kw][in][out];
      for (float[][][] a : kernel) {
        for (float[][] b : a) {
          for (float[] c : b) {
            for (int o = 0; o < out; o++) {
              c[o] = (float) (random.nextGaussian() * std);
            }
          }
        }
      }
      return kernel;
    }
    float[] vector = new float[(int) shape[0]];
    for (int i = 0; i < vector.length; i++) {
      vector[i] =
          switch (weight) {
            case "moving_variance:0" -> (float) (0.6 + 0.8 * random.nextDouble());
            default -> (float) (0.1 * random.nextGaussian());
          };
    }
    return vector;
  }
}
