package dev.tltf.features.backbone;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the inference graph the feature job runs from the reference graph the weights load into:
 * each {@code conv2d_N → batch_normalization_N → activation_N} becomes one {@code conv2d_N} with
 * bias and ReLU ({@link InceptionV3#foldedConfiguration}). At inference a batch norm is a
 * per-channel affine map, {@code γ (x − μ) / √(σ² + ε) + β}, so it folds into the convolution
 * before it: kernel × s and bias β − μ s per output channel, with {@code s = γ / √(σ² + ε)}.
 * Computed in double, then stored as float32; the features match the reference graph's to well
 * within 1e-4 ({@code BatchNormFoldingTest}), and each pass skips 188 layers.
 */
public final class BatchNormFolding {
  private BatchNormFolding() {}

  public static ComputationGraph fold(ComputationGraph reference, int inputSize) {
    ComputationGraph folded = new ComputationGraph(InceptionV3.foldedConfiguration(inputSize));
    folded.init();
    for (int n = 1; n <= InceptionV3.CONV_LAYERS; n++) {
      foldLayer(
          reference.getLayer("conv2d_" + n),
          reference.getLayer("batch_normalization_" + n),
          folded.getLayer("conv2d_" + n));
    }
    return folded;
  }

  private static void foldLayer(Layer conv, Layer norm, Layer target) {
    double epsilon = ((BatchNormalization) norm.conf().getLayer()).getEps();
    double[] gamma = norm.getParam(BatchNormalizationParamInitializer.GAMMA).toDoubleVector();
    double[] beta = norm.getParam(BatchNormalizationParamInitializer.BETA).toDoubleVector();
    double[] mean = norm.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).toDoubleVector();
    double[] variance =
        norm.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).toDoubleVector();
    // [out, in, kh, kw]
    INDArray kernel = conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE);
    int channels = gamma.length;
    double[] scale = new double[channels];
    double[] bias = new double[channels];
    for (int c = 0; c < channels; c++) {
      scale[c] = gamma[c] / Math.sqrt(variance[c] + epsilon);
      bias[c] = beta[c] - mean[c] * scale[c];
    }
    INDArray scaled =
        kernel
            .dup('c')
            .reshape('c', channels, kernel.length() / channels)
            .mulColumnVector(Nd4j.createFromArray(scale).reshape(channels, 1))
            .reshape('c', kernel.shape());
    target.setParam(ConvolutionParamInitializer.WEIGHT_KEY, scaled.castTo(DataType.FLOAT));
    target.setParam(
        ConvolutionParamInitializer.BIAS_KEY,
        Nd4j.createFromArray(bias)
            .castTo(DataType.FLOAT)
            .reshape(target.getParam(ConvolutionParamInitializer.BIAS_KEY).shape()));
  }
}
