package dev.tltf.features.engine;

import java.util.List;

/**
 * A DL4J inference graph as the oneDNN engine runs it: one input of {@code 3 × size × size} (NCHW),
 * then steps in topological order, each naming the tensors it reads and the one it writes; the last
 * step's tensor is the output. Plain Java (weights as float arrays), so that lowering is checked
 * without natives and one lowering serves every batch size.
 */
record LoweredGraph(String input, Shape inputShape, List<Step> steps) {
  LoweredGraph {
    steps = List.copyOf(steps);
  }

  Step last() {
    return steps.get(steps.size() - 1);
  }

  /** One image's tensor: channels × height × width. */
  record Shape(int channels, int height, int width) {
    long size() {
      return (long) channels * height * width;
    }
  }

  /**
   * Padding in pixels before (top, left) and after (bottom, right) the image, as TensorFlow and
   * DL4J pad.
   */
  record Padding(int top, int left, int bottom, int right) {}

  sealed interface Step permits Convolution, Pooling, Concat, GlobalAveragePooling {
    String name();

    List<String> inputs();

    Shape output();
  }

  /** Convolution with bias and optional ReLU; {@code weights} in DL4J's [out, in, kh, kw] order. */
  record Convolution(
      String name,
      String input,
      Shape output,
      int kernelHeight,
      int kernelWidth,
      int strideHeight,
      int strideWidth,
      Padding padding,
      float[] weights,
      float[] bias,
      boolean relu)
      implements Step {
    @Override
    public List<String> inputs() {
      return List.of(input);
    }
  }

  /**
   * Max or average pooling; {@code excludePadding}: average over the in-image pixels only
   * (TensorFlow's).
   */
  record Pooling(
      String name,
      String input,
      Shape output,
      boolean max,
      boolean excludePadding,
      int kernelHeight,
      int kernelWidth,
      int strideHeight,
      int strideWidth,
      Padding padding)
      implements Step {
    @Override
    public List<String> inputs() {
      return List.of(input);
    }
  }

  /** Concatenation along channels, in input order. */
  record Concat(String name, List<String> inputs, Shape output) implements Step {}

  /** Average over all pixels: C × H × W → C × 1 × 1. */
  record GlobalAveragePooling(String name, String input, Shape output) implements Step {
    @Override
    public List<String> inputs() {
      return List.of(input);
    }
  }
}
