package dev.tltf.tfref;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import io.jhdf.exceptions.HdfInvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads InceptionV3's weights from a Keras HDF5 file in the layout of the official notop file:
 * {@code /conv2d_N/conv2d_N/kernel:0} shaped (kh, kw, in, out), which is TensorFlow's HWIO filter
 * layout as it stands, and {@code
 * /batch_normalization_N/batch_normalization_N/{beta,moving_mean,moving_variance}:0} shaped
 * (channels,). The caller says what shape it expects; any difference, a missing dataset, a {@code
 * gamma:0} (Keras' InceptionV3 uses {@code scale=False}) or a conv / batch-norm layer nobody asked
 * for fails with the layer named.
 */
final class KerasWeightReader implements AutoCloseable {
  private static final Pattern WEIGHTED_LAYER =
      Pattern.compile("(conv2d|batch_normalization)_\\d+");

  private final HdfFile file;
  private final String fileName;
  private final Set<String> layersRead = new HashSet<>();

  private KerasWeightReader(HdfFile file, String fileName) {
    this.file = file;
    this.fileName = fileName;
  }

  static KerasWeightReader open(Path path) {
    HdfFile file;
    try {
      file = new HdfFile(path);
    } catch (HdfException e) {
      throw new InvalidInputException(
          "Cannot read weights " + path + ": not a readable HDF5 file (" + e.getMessage() + ").",
          e);
    }
    try {
      if (file.getAttribute("layer_names") == null) {
        throw new InvalidInputException(
            "Invalid weights "
                + path
                + ": HDF5 but not a Keras weight file (no "
                + "'layer_names' attribute).");
      }
      return new KerasWeightReader(file, path.toString());
    } catch (HdfException e) {
      file.close();
      throw new InvalidInputException(
          "Cannot read weights " + path + ": damaged HDF5 (" + e.getMessage() + ").", e);
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** The batch norm's moving statistics and offset (its scale is 1: Keras' {@code scale=False}). */
  record BatchNorm(float[] beta, float[] movingMean, float[] movingVariance) {}

  /** {@code conv2d_N}'s kernel, (rows, cols, in, out) in row-major order. */
  float[] kernel(int layer, long rows, long cols, long in, long out) {
    return read("conv2d_" + layer, "kernel:0", rows, cols, in, out);
  }

  BatchNorm batchNorm(int layer, long channels) {
    String name = "batch_normalization_" + layer;
    if (find(datasetPath(name, "gamma:0")) != null) {
      throw invalid(
          "layer "
              + name
              + " has gamma:0, but InceptionV3's batch norms have no scale "
              + "(Keras scale=False)");
    }
    return new BatchNorm(
        read(name, "beta:0", channels),
        read(name, "moving_mean:0", channels),
        read(name, "moving_variance:0", channels));
  }

  /**
   * Fails if the file lists a conv or batch-norm layer that the architecture did not read: another
   * network.
   */
  void checkAllLayersUsed() {
    Object names = file.getAttribute("layer_names").getData();
    if (!(names instanceof String[] layerNames)) {
      throw invalid("its 'layer_names' attribute is not a list of strings");
    }
    for (String layer : layerNames) {
      if (WEIGHTED_LAYER.matcher(layer).matches() && !layersRead.contains(layer)) {
        throw invalid(
            "layer "
                + layer
                + " is not part of InceptionV3 (it has conv2d_1..94 and "
                + "batch_normalization_1..94)");
      }
    }
  }

  private float[] read(String layer, String weight, long... expected) {
    String path = datasetPath(layer, weight);
    if (!(find(path) instanceof Dataset dataset)) {
      throw invalid(
          "layer "
              + layer
              + " is missing (no dataset "
              + path
              + "; expected shape "
              + shape(expected)
              + ")");
    }
    long[] actual = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
    if (!Arrays.equals(actual, expected)) {
      throw invalid(
          "layer "
              + layer
              + " has "
              + weight
              + " shaped "
              + shape(actual)
              + ", expected "
              + shape(expected));
    }
    Object values;
    try {
      values = dataset.getDataFlat();
    } catch (HdfException e) {
      throw new InvalidInputException(
          "Cannot read weights " + fileName + ": " + path + " is damaged (" + e.getMessage() + ").",
          e);
    }
    if (!(values instanceof float[] floats)) {
      throw invalid(
          "layer "
              + layer
              + " has "
              + weight
              + " of type "
              + dataset.getJavaType().getSimpleName()
              + ", expected float32");
    }
    layersRead.add(layer);
    return floats;
  }

  /** The node at {@code path}, or null if there is none. */
  private Node find(String path) {
    try {
      return file.getByPath(path);
    } catch (HdfInvalidPathException e) {
      return null;
    }
  }

  private static String datasetPath(String layer, String weight) {
    return "/" + layer + "/" + layer + "/" + weight;
  }

  private InvalidInputException invalid(String what) {
    return new InvalidInputException("Invalid weights " + fileName + ": " + what + ".");
  }

  /** Python's tuple notation, as Keras and h5py print shapes: (3, 3, 64, 96), (192,). */
  private static String shape(long[] dims) {
    return Arrays.stream(dims)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(", ", "(", dims.length == 1 ? ",)" : ")"));
  }

  @Override
  public void close() {
    file.close();
  }
}
