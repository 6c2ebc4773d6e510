package dev.tltf.features.backbone;

import dev.tltf.common.error.InvalidInputException;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.exceptions.HdfException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a Keras HDF5 weight file in the layout of the official InceptionV3 notop file into the DL4J
 * graph, by layer name: {@code /conv2d_N/conv2d_N/kernel:0} shaped (kh, kw, in, out) becomes the
 * DL4J kernel [out, in, kh, kw]; {@code
 * /batch_normalization_N/batch_normalization_N/{beta,moving_mean,moving_variance}:0} become the
 * batch norm's beta, mean and variance (gamma stays 1, as Keras' {@code scale=False}, unless the
 * file has one). The first missing dataset or wrong shape stops the load with the file, the layer
 * and both shapes named.
 */
public final class KerasWeights {
  private KerasWeights() {}

  /** Copies the file's weights into every conv and batch-norm layer of {@code graph}. */
  public static void load(ComputationGraph graph, HdfFile file, String fileName) {
    try {
      checkKerasFile(file, fileName);
      for (Layer layer : graph.getLayers()) {
        String name = layer.conf().getLayer().getLayerName();
        if (layer.conf().getLayer() instanceof ConvolutionLayer) {
          loadKernel(layer, file, fileName, name);
        } else if (layer.conf().getLayer() instanceof BatchNormalization) {
          loadBatchNorm(layer, file, fileName, name);
        }
      }
    } catch (HdfException e) {
      throw damaged(fileName, e);
    }
  }

  /**
   * Checks the file against the layers of {@code graph} as {@link #load} would, with the same
   * messages, but from the configuration alone: no network is built, no parameter allocated. Every
   * dataset's numbers are read (and dropped), so a truncated file fails here too.
   */
  public static void check(ComputationGraphConfiguration graph, HdfFile file, String fileName) {
    try {
      checkKerasFile(file, fileName);
      for (GraphVertex vertex : graph.getVertices().values()) {
        if (!(vertex instanceof LayerVertex layerVertex)) {
          continue;
        }
        org.deeplearning4j.nn.conf.layers.Layer layer = layerVertex.getLayerConf().getLayer();
        String name = layer.getLayerName();
        if (layer instanceof ConvolutionLayer conv) {
          long[] keras = {
            conv.getKernelSize()[0], conv.getKernelSize()[1], conv.getNIn(), conv.getNOut()
          };
          read(file, fileName, name, "kernel:0", keras);
        } else if (layer instanceof BatchNormalization norm) {
          long[] shape = {norm.getNOut()};
          for (String weight : List.of("beta:0", "moving_mean:0", "moving_variance:0")) {
            read(file, fileName, name, weight, shape);
          }
          if (exists(file, datasetPath(name, "gamma:0"))) {
            read(file, fileName, name, "gamma:0", shape);
          }
        }
      }
    } catch (HdfException e) {
      throw damaged(fileName, e);
    }
  }

  private static void checkKerasFile(HdfFile file, String fileName) {
    Attribute layerNames = file.getAttribute("layer_names");
    InvalidInputException.check(
        layerNames != null,
        "Cannot load weights %s: it is HDF5 but not a Keras weight file (no 'layer_names' attribute).",
        fileName);
  }

  private static InvalidInputException damaged(String fileName, HdfException e) {
    return new InvalidInputException(
        "Cannot load weights " + fileName + ": the HDF5 data are damaged (" + e.getMessage() + ").",
        e);
  }

  private static void loadKernel(Layer layer, HdfFile file, String fileName, String name) {
    INDArray target = layer.getParam("W");
    long[] dl4j = target.shape();
    long[] keras = {dl4j[2], dl4j[3], dl4j[1], dl4j[0]};
    float[] values = read(file, fileName, name, "kernel:0", keras);
    target.assign(Nd4j.create(values, keras, 'c').permute(3, 2, 0, 1));
  }

  private static void loadBatchNorm(Layer layer, HdfFile file, String fileName, String name) {
    long channels = layer.getParam("beta").length();
    long[] shape = {channels};
    assign(layer.getParam("beta"), read(file, fileName, name, "beta:0", shape));
    assign(layer.getParam("mean"), read(file, fileName, name, "moving_mean:0", shape));
    assign(layer.getParam("var"), read(file, fileName, name, "moving_variance:0", shape));
    String gammaPath = datasetPath(name, "gamma:0");
    if (exists(file, gammaPath)) {
      assign(layer.getParam("gamma"), read(file, fileName, name, "gamma:0", shape));
    }
  }

  private static void assign(INDArray target, float[] values) {
    target.assign(Nd4j.create(values).reshape(target.shape()));
  }

  private static String datasetPath(String layer, String weight) {
    return "/" + layer + "/" + layer + "/" + weight;
  }

  private static boolean exists(HdfFile file, String path) {
    try {
      return file.getByPath(path) instanceof Dataset;
    } catch (HdfException e) {
      return false;
    }
  }

  private static float[] read(
      HdfFile file, String fileName, String layer, String weight, long[] expected) {
    String path = datasetPath(layer, weight);
    Dataset dataset;
    try {
      if (!(file.getByPath(path) instanceof Dataset found)) {
        throw missing(fileName, layer, path, expected);
      }
      dataset = found;
    } catch (HdfException e) {
      throw missing(fileName, layer, path, expected);
    }
    long[] actual = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
    InvalidInputException.check(
        Arrays.equals(actual, expected),
        "Cannot load weights %s: layer %s has %s shaped %s, expected %s.",
        fileName,
        layer,
        weight,
        shape(actual),
        shape(expected));
    Object flat = dataset.getDataFlat();
    if (flat instanceof float[] floats) {
      return floats;
    }
    if (flat instanceof double[] doubles) {
      float[] floats = new float[doubles.length];
      for (int i = 0; i < doubles.length; i++) {
        floats[i] = (float) doubles[i];
      }
      return floats;
    }
    throw new InvalidInputException(
        String.format(
            "Cannot load weights %s: layer %s has %s of type %s, expected float.",
            fileName, layer, weight, dataset.getJavaType().getSimpleName()));
  }

  private static InvalidInputException missing(
      String fileName, String layer, String path, long[] expected) {
    return new InvalidInputException(
        String.format(
            "Cannot load weights %s: layer %s is missing (no dataset %s; expected shape %s).",
            fileName, layer, path, shape(expected)));
  }

  private static String shape(long[] dims) {
    return Arrays.stream(dims)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(", ", "(", dims.length == 1 ? ",)" : ")"));
  }
}
