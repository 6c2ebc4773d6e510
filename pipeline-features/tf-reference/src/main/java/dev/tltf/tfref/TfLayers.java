package dev.tltf.tfref;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * InceptionV3's operations as TensorFlow graph ops on NHWC float32 tensors, with the weights of
 * each {@code conv2d_bn} read (and shape-checked) from the Keras file as the layer is built. Every
 * op keeps TensorFlow's default numerics; ops carry Keras' layer names ({@code conv2d_N}, {@code
 * activation_N}, {@code mixedK}) so that an intermediate output can be fetched by name when a
 * comparison needs to be narrowed down.
 *
 * <p>Batch norm is {@code FusedBatchNormV3} in inference mode with a scale of ones, not the formula
 * {@code (x − mean) / sqrt(var + eps) + beta} written out: that op is what tf.keras itself runs for
 * a 4-D BatchNormalization at inference, and using TensorFlow's own kernel keeps the reference from
 * re-deriving the very arithmetic it is meant to check.
 */
final class TfLayers implements LayerBuilder<Operand<TFloat32>> {
  /**
   * Keras' BatchNormalization epsilon in InceptionV3 ({@code conv2d_bn} sets it; the layer default
   * is also 1e-3).
   */
  private static final float BATCH_NORM_EPSILON = 1e-3f;

  private static final int CHANNEL_AXIS = 3;

  private final Ops tf;
  private final KerasWeightReader weights;

  TfLayers(Ops tf, KerasWeightReader weights) {
    this.tf = tf;
    this.weights = weights;
  }

  @Override
  public Operand<TFloat32> convBn(
      Operand<TFloat32> input,
      int layer,
      int filters,
      int rows,
      int cols,
      int stride,
      Padding padding) {
    long channels = input.shape().get(CHANNEL_AXIS);
    float[] kernel = weights.kernel(layer, rows, cols, channels, filters);
    Operand<TFloat32> conv =
        tf.withName("conv2d_" + layer)
            .nn
            .conv2d(
                input,
                constant(kernel, rows, cols, channels, filters),
                List.of(1L, (long) stride, (long) stride, 1L),
                padding.name());

    KerasWeightReader.BatchNorm norm = weights.batchNorm(layer, filters);
    float[] scale = new float[filters];
    Arrays.fill(scale, 1f);
    Operand<TFloat32> normalized =
        tf.withName("batch_normalization_" + layer)
            .nn
            .fusedBatchNorm(
                conv,
                constant(scale, filters),
                constant(norm.beta(), filters),
                constant(norm.movingMean(), filters),
                constant(norm.movingVariance(), filters),
                FusedBatchNorm.epsilon(BATCH_NORM_EPSILON),
                FusedBatchNorm.isTraining(false),
                FusedBatchNorm.dataFormat("NHWC"))
            .y();
    return tf.withName("activation_" + layer).nn.relu(normalized);
  }

  @Override
  public Operand<TFloat32> maxPool(Operand<TFloat32> input) {
    return tf.nn.maxPool(
        input, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  @Override
  public Operand<TFloat32> averagePool(Operand<TFloat32> input) {
    // TensorFlow's AvgPool divides by the number of real (unpadded) inputs in each window, as Keras
    // expects.
    return tf.nn.avgPool(input, List.of(1L, 3L, 3L, 1L), List.of(1L, 1L, 1L, 1L), "SAME");
  }

  @Override
  public Operand<TFloat32> concat(String name, List<Operand<TFloat32>> branches) {
    return tf.withName(name).concat(branches, tf.constant(CHANNEL_AXIS));
  }

  @Override
  public Operand<TFloat32> globalAveragePool(Operand<TFloat32> input) {
    return tf.withName("avg_pool").math.mean(input, tf.constant(new int[] {1, 2}));
  }

  private Operand<TFloat32> constant(float[] values, long... shape) {
    return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
  }
}
