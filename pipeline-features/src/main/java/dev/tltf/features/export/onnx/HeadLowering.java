package dev.tltf.features.export.onnx;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Lowers a head ({@link MultiLayerNetwork} of dense layers ending in an output layer) to ONNX: each
 * layer is a Gemm ({@code x·W + b}, W stored as DL4J holds it, [in, out]) followed by its
 * activation. The feature standardisation train-head fits is already folded into the first layer's
 * weights, so the head reads the vectors as stored. Dropout is a training-time setting and has no
 * inference node (DL4J's own {@code output(x, false)} skips it too).
 */
public final class HeadLowering {
  private HeadLowering() {}

  /** The head's input width (its first layer's nIn). */
  public static long inputs(MultiLayerNetwork head) {
    check(head);
    return weights(head, 0).size(0);
  }

  /** The head's output width (its last layer's nOut). */
  public static long outputs(MultiLayerNetwork head) {
    check(head);
    return weights(head, head.getnLayers() - 1).size(1);
  }

  /**
   * Appends the head reading {@code inputValue} ([n, inputs] float32) and writing {@code
   * outputValue}.
   */
  public static void lower(
      MultiLayerNetwork head, OnnxGraph onnx, String inputValue, String outputValue) {
    check(head);
    String x = inputValue;
    int last = head.getnLayers() - 1;
    for (int i = 0; i <= last; i++) {
      String name = "head/layer_" + i;
      org.deeplearning4j.nn.conf.layers.Layer layer =
          head.getLayerWiseConfigurations().getConf(i).getLayer();
      INDArray w = weights(head, i);
      String out = i == last ? outputValue : name;
      List<String> inputs =
          List.of(x, onnx.initializer(name + "/W", w.shape(), w.dup('c').data().asFloat()));
      if (head.getLayer(i).paramTable().containsKey(DefaultParamInitializer.BIAS_KEY)) {
        INDArray b = head.getLayer(i).getParam(DefaultParamInitializer.BIAS_KEY);
        inputs =
            List.of(
                inputs.get(0),
                inputs.get(1),
                onnx.initializer(
                    name + "/b", new long[] {b.length()}, b.dup('c').data().asFloat()));
      }
      org.nd4j.linalg.activations.IActivation activation = ((BaseLayer) layer).getActivationFn();
      boolean identity = activation instanceof org.nd4j.linalg.activations.impl.ActivationIdentity;
      String product = onnx.node("Gemm", identity ? out : name + "/gemm", inputs);
      x = identity ? product : Activations.apply(onnx, activation, product, out, "head layer " + i);
    }
  }

  /** Every layer a DenseLayer, the last one a DenseLayer or OutputLayer, no preprocessors. */
  private static void check(MultiLayerNetwork head) {
    int last = head.getnLayers() - 1;
    for (int i = 0; i <= last; i++) {
      org.deeplearning4j.nn.conf.layers.Layer layer =
          head.getLayerWiseConfigurations().getConf(i).getLayer();
      boolean supported =
          layer.getClass() == DenseLayer.class
              || (i == last && layer.getClass() == OutputLayer.class);
      if (!supported) {
        throw new UnsupportedLayerException(
            "head layer " + i,
            "it is a "
                + layer.getClass().getSimpleName()
                + ", and heads of DenseLayers ending in an OutputLayer are supported.");
      }
      if (head.getLayerWiseConfigurations().getInputPreProcess(i) != null) {
        throw new UnsupportedLayerException(
            "head layer " + i,
            "it has an input " + "preprocessor, which has no ONNX lowering here.");
      }
    }
  }

  private static INDArray weights(MultiLayerNetwork head, int layer) {
    return head.getLayer(layer).getParam(DefaultParamInitializer.WEIGHT_KEY);
  }
}
