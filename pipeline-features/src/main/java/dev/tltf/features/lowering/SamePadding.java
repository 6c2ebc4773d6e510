package dev.tltf.features.lowering;

/**
 * TensorFlow's 'Same' padding along one axis, which DL4J's {@code ConvolutionMode.Same} follows:
 * {@code ⌈in / stride⌉} outputs, and the total padding {@code (out − 1)·stride + kernel − in}
 * (never negative) split with the smaller half before and the rest after, asymmetric where the
 * total is odd. Both lowerings of a DL4J graph, the oneDNN engine's and the ONNX export's, take
 * their explicit pads from here, so that they cannot drift apart.
 *
 * @param output outputs along the axis
 * @param before padding before the first input pixel (top or left)
 * @param after padding after the last (bottom or right)
 */
public record SamePadding(int output, int before, int after) {

  /** 'Same' padding of a {@code kernel}-wide window moving by {@code stride} over {@code input}. */
  public static SamePadding of(int input, int kernel, int stride) {
    int output = (input + stride - 1) / stride;
    int total = Math.max(0, (output - 1) * stride + kernel - input);
    return new SamePadding(output, total / 2, total - total / 2);
  }

  /**
   * Outputs of a {@code kernel}-wide window moving by {@code stride} over {@code input} padded by
   * {@code before} and {@code after}, the windows that do not fit dropped: {@code ⌊(in + before +
   * after − kernel) / stride⌋ + 1}, as DL4J's 'Truncate' mode, oneDNN and ONNX count them. For
   * {@link #of}'s padding it is {@link #output}.
   */
  public static int outputSize(int input, int kernel, int stride, int before, int after) {
    return Math.floorDiv(input + before + after - kernel, stride) + 1;
  }
}
