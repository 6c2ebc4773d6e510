package dev.tltf.features.export.onnx;

import java.util.List;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * DL4J activation functions as ONNX nodes: identity (no node), plain ReLU, softmax over classes,
 * sigmoid, tanh.
 */
final class Activations {
  private Activations() {}

  /**
   * Appends {@code activation} applied to {@code input} and returns the value holding the result,
   * named {@code output}; identity adds nothing and returns {@code input}.
   */
  static String apply(
      OnnxGraph graph, IActivation activation, String input, String output, String what) {
    if (activation instanceof ActivationIdentity) {
      return input;
    }
    if (activation instanceof ActivationReLU relu) {
      if (relu.getMax() != null
          || nonZero(relu.getThreshold())
          || nonZero(relu.getNegativeSlope())) {
        throw new UnsupportedLayerException(
            what,
            "its activation "
                + activation
                + " is a ReLU with a maximum, threshold or slope; only the plain ReLU is supported.");
      }
      return graph.node("Relu", output, List.of(input));
    }
    if (activation instanceof ActivationSoftmax) {
      return graph.node("Softmax", output, List.of(input), OnnxGraph.Attribute.of("axis", 1L));
    }
    if (activation instanceof ActivationSigmoid) {
      return graph.node("Sigmoid", output, List.of(input));
    }
    if (activation instanceof ActivationTanH) {
      return graph.node("Tanh", output, List.of(input));
    }
    throw new UnsupportedLayerException(
        what,
        "its activation "
            + activation
            + " has no ONNX lowering here (supported: identity, relu, softmax, sigmoid, tanh).");
  }

  private static boolean nonZero(Double value) {
    return value != null && value != 0;
  }
}
