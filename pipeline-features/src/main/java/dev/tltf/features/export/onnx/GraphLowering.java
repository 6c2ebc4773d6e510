package dev.tltf.features.export.onnx;

import dev.tltf.features.lowering.SamePadding;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Lowers a DL4J {@link ComputationGraph} of 2-d convolutions, pools and concatenations (NCHW,
 * float32) to ONNX nodes, vertex by vertex in the graph's own topological order, with the vertex's
 * trained parameters as initializers. The graph is read, not rebuilt: whatever DL4J would run is
 * what is written, and a layer, vertex or setting without a lowering here stops the export with its
 * name ({@link UnsupportedLayerException}).
 *
 * <p>Supported: {@code ConvolutionLayer} (any kernel, stride, bias; identity or ReLU activation;
 * 'same', 'truncate' (valid + explicit padding) and 'strict' modes, dilation 1) → Conv [+ Relu];
 * {@code SubsamplingLayer} MAX / AVG → MaxPool / AveragePool ({@code count_include_pad} as DL4J's
 * {@code avgPoolIncludePadInDivisor}); {@code MergeVertex} → Concat; {@code GlobalPoolingLayer} AVG
 * → GlobalAveragePool + Flatten. DL4J's 'same' padding is TensorFlow's ({@link SamePadding}, shared
 * with the oneDNN engine), which ONNX gets as explicit {@code pads} per layer (asymmetric where the
 * total is odd); every lowered layer's output size is checked against DL4J's own shape inference.
 */
public final class GraphLowering {
  private final ComputationGraph network;
  private final OnnxGraph onnx;
  private final Map<String, InputType> types;

  private GraphLowering(ComputationGraph network, OnnxGraph onnx, InputType input) {
    this.network = network;
    this.onnx = onnx;
    this.types = new java.util.HashMap<>(network.getConfiguration().getLayerActivationTypes(input));
    network.getConfiguration().getNetworkInputs().forEach(name -> types.putIfAbsent(name, input));
  }

  /**
   * Appends {@code network}'s nodes to {@code onnx}. The network's single input is read from the
   * existing value {@code inputValue} (NCHW float32 shaped as {@code input}); its single output is
   * written as {@code outputValue}.
   */
  public static void lower(
      ComputationGraph network,
      InputType input,
      OnnxGraph onnx,
      String inputValue,
      String outputValue) {
    List<String> inputs = network.getConfiguration().getNetworkInputs();
    List<String> outputs = network.getConfiguration().getNetworkOutputs();
    if (inputs.size() != 1 || outputs.size() != 1) {
      throw new UnsupportedLayerException(
          "the network",
          "it has inputs "
              + inputs
              + " and outputs "
              + outputs
              + "; exactly one of each is supported.");
    }
    new GraphLowering(network, onnx, input)
        .lowerAll(inputs.get(0), inputValue, outputs.get(0), outputValue);
  }

  private void lowerAll(
      String networkInput, String inputValue, String networkOutput, String outputValue) {
    Map<String, GraphVertex> vertices = network.getConfiguration().getVertices();
    Map<String, List<String>> vertexInputs = network.getConfiguration().getVertexInputs();
    org.deeplearning4j.nn.graph.vertex.GraphVertex[] runtime = network.getVertices();
    for (int index : network.topologicalSortOrder()) {
      String name = runtime[index].getVertexName();
      if (name.equals(networkInput)) {
        continue;
      }
      List<String> in =
          vertexInputs.get(name).stream()
              .map(v -> v.equals(networkInput) ? inputValue : v)
              .toList();
      String out = name.equals(networkOutput) ? outputValue : name;
      GraphVertex vertex = vertices.get(name);
      if (vertex instanceof LayerVertex layerVertex) {
        lowerLayer(name, layerVertex, in, out, vertexInputs.get(name).get(0));
      } else if (vertex instanceof MergeVertex merge) {
        onnx.node("Concat", out, in, OnnxGraph.Attribute.of("axis", (long) merge.getMergeAxis()));
      } else {
        throw new UnsupportedLayerException(
            "vertex " + name,
            "it is a "
                + vertex.getClass().getSimpleName()
                + ", which has no ONNX lowering here (supported: layer vertices, "
                + "MergeVertex).");
      }
    }
  }

  private void lowerLayer(
      String name, LayerVertex vertex, List<String> in, String out, String inputVertex) {
    if (vertex.getPreProcessor() != null) {
      throw new UnsupportedLayerException(
          "layer " + name,
          "it has an input preprocessor ("
              + vertex.getPreProcessor().getClass().getSimpleName()
              + "), which has no ONNX lowering here.");
    }
    if (in.size() != 1) {
      throw new UnsupportedLayerException(
          "layer " + name, "it has " + in.size() + " inputs; layers take one.");
    }
    org.deeplearning4j.nn.conf.layers.Layer layer = vertex.getLayerConf().getLayer();
    InputType.InputTypeConvolutional input = convolutional(name, typeOf(inputVertex));
    if (layer.getClass() == ConvolutionLayer.class) {
      convolution(name, (ConvolutionLayer) layer, input, in.get(0), out);
    } else if (layer.getClass() == SubsamplingLayer.class) {
      pooling(name, (SubsamplingLayer) layer, input, in.get(0), out);
    } else if (layer.getClass() == GlobalPoolingLayer.class) {
      globalPooling(name, (GlobalPoolingLayer) layer, in.get(0), out);
    } else {
      throw new UnsupportedLayerException(
          "layer " + name,
          "it is a "
              + layer.getClass().getSimpleName()
              + ", which has no ONNX lowering here (supported: ConvolutionLayer, "
              + "SubsamplingLayer, GlobalPoolingLayer, MergeVertex).");
    }
  }

  private void convolution(
      String name,
      ConvolutionLayer layer,
      InputType.InputTypeConvolutional input,
      String in,
      String out) {
    OnnxGraph.Attribute[] window =
        window(
            name,
            input,
            layer.getCnn2dDataFormat(),
            layer.getDilation(),
            layer.getKernelSize(),
            layer.getStride(),
            layer.getPadding(),
            layer.getConvolutionMode());
    INDArray weights =
        network
            .getLayer(name)
            .getParam(ConvolutionParamInitializer.WEIGHT_KEY); // [out, in, kh, kw]
    String w =
        onnx.initializer(name + "/kernel", weights.shape(), weights.dup('c').data().asFloat());
    List<String> inputs = List.of(in, w);
    if (network.getLayer(name).paramTable().containsKey(ConvolutionParamInitializer.BIAS_KEY)) {
      INDArray bias = network.getLayer(name).getParam(ConvolutionParamInitializer.BIAS_KEY);
      inputs =
          List.of(
              in,
              w,
              onnx.initializer(
                  name + "/bias", new long[] {bias.length()}, bias.dup('c').data().asFloat()));
    }
    boolean identity =
        layer.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationIdentity;
    String convolved =
        onnx.node(
            "Conv",
            identity ? out : name + "/conv",
            inputs,
            window[0],
            window[1],
            window[2],
            OnnxGraph.Attribute.ints("dilations", 1, 1));
    if (!identity) {
      Activations.apply(onnx, layer.getActivationFn(), convolved, out, "layer " + name);
    }
  }

  private void pooling(
      String name,
      SubsamplingLayer layer,
      InputType.InputTypeConvolutional input,
      String in,
      String out) {
    OnnxGraph.Attribute[] geometry =
        window(
            name,
            input,
            layer.getCnn2dDataFormat(),
            layer.getDilation(),
            layer.getKernelSize(),
            layer.getStride(),
            layer.getPadding(),
            layer.getConvolutionMode());
    if (layer.getPoolingType() == PoolingType.MAX) {
      onnx.node("MaxPool", out, List.of(in), geometry);
    } else if (layer.getPoolingType() == PoolingType.AVG) {
      onnx.node(
          "AveragePool",
          out,
          List.of(in),
          geometry[0],
          geometry[1],
          geometry[2],
          OnnxGraph.Attribute.of(
              "count_include_pad", layer.isAvgPoolIncludePadInDivisor() ? 1L : 0L));
    } else {
      throw new UnsupportedLayerException(
          "layer " + name,
          "it pools by " + layer.getPoolingType() + "; MAX and AVG are supported.");
    }
  }

  private void globalPooling(String name, GlobalPoolingLayer layer, String in, String out) {
    int[] dimensions = layer.getPoolingDimensions();
    if (layer.getPoolingType() != PoolingType.AVG
        || !layer.isCollapseDimensions()
        || (dimensions != null && !Arrays.equals(dimensions, new int[] {2, 3}))) {
      throw new UnsupportedLayerException(
          "layer " + name,
          "it is a global "
              + layer.getPoolingType()
              + " pool over "
              + Arrays.toString(dimensions)
              + " (collapse "
              + layer.isCollapseDimensions()
              + "); only AVG over height and width, collapsed, is supported.");
    }
    String pooled = onnx.node("GlobalAveragePool", name + "/pool", List.of(in));
    onnx.node("Flatten", out, List.of(pooled), OnnxGraph.Attribute.of("axis", 1L));
  }

  /**
   * What a convolution and a pool share: the layout and dilation checks, and the window attributes
   * (ONNX's kernel_shape, strides and pads, in that order), the pads checked to give DL4J's own
   * output size.
   */
  private OnnxGraph.Attribute[] window(
      String name,
      InputType.InputTypeConvolutional input,
      CNN2DFormat format,
      int[] dilation,
      int[] kernel,
      int[] stride,
      int[] padding,
      ConvolutionMode mode) {
    requireNchw(name, format);
    requireNoDilation(name, dilation);
    long[] pads = pads(name, mode, kernel, stride, padding, input);
    checkOutputSize(name, input, kernel, stride, pads);
    return new OnnxGraph.Attribute[] {
      OnnxGraph.Attribute.ints("kernel_shape", kernel[0], kernel[1]),
      OnnxGraph.Attribute.ints("strides", stride[0], stride[1]),
      OnnxGraph.Attribute.ints("pads", pads)
    };
  }

  /**
   * ONNX {@code pads} [top, left, bottom, right] for one convolution or pool, as DL4J pads it in
   * {@code mode}.
   */
  static long[] pads(
      String name,
      ConvolutionMode mode,
      int[] kernel,
      int[] stride,
      int[] padding,
      InputType.InputTypeConvolutional input) {
    long[] in = {input.getHeight(), input.getWidth()};
    long[] pads = new long[4];
    for (int axis = 0; axis < 2; axis++) {
      switch (mode) {
        case Same -> {
          SamePadding same = SamePadding.of(Math.toIntExact(in[axis]), kernel[axis], stride[axis]);
          pads[axis] = same.before();
          pads[axis + 2] = same.after();
        }
        case Truncate, Strict -> {
          pads[axis] = padding[axis];
          pads[axis + 2] = padding[axis];
        }
        default ->
            throw new UnsupportedLayerException(
                "layer " + name,
                "its convolution "
                    + "mode "
                    + mode
                    + " has no ONNX lowering here (supported: Same, Truncate, Strict).");
      }
    }
    return pads;
  }

  private void checkOutputSize(
      String name,
      InputType.InputTypeConvolutional input,
      int[] kernel,
      int[] stride,
      long[] pads) {
    InputType.InputTypeConvolutional expected = convolutional(name, typeOf(name));
    long height =
        SamePadding.outputSize(
            Math.toIntExact(input.getHeight()),
            kernel[0],
            stride[0],
            Math.toIntExact(pads[0]),
            Math.toIntExact(pads[2]));
    long width =
        SamePadding.outputSize(
            Math.toIntExact(input.getWidth()),
            kernel[1],
            stride[1],
            Math.toIntExact(pads[1]),
            Math.toIntExact(pads[3]));
    if (height != expected.getHeight() || width != expected.getWidth()) {
      throw new IllegalStateException(
          "Lowering layer "
              + name
              + " gives "
              + height
              + "×"
              + width
              + " but DL4J computes "
              + expected.getHeight()
              + "×"
              + expected.getWidth()
              + " (pads "
              + Arrays.toString(pads)
              + ")");
    }
  }

  private InputType typeOf(String vertex) {
    InputType type = types.get(vertex);
    if (type == null) {
      throw new IllegalStateException("DL4J gave no activation type for vertex " + vertex);
    }
    return type;
  }

  private static InputType.InputTypeConvolutional convolutional(String name, InputType type) {
    if (!(type instanceof InputType.InputTypeConvolutional convolutional)) {
      throw new UnsupportedLayerException(
          "layer " + name, "its input is " + type + ", not a 2-d image batch.");
    }
    return convolutional;
  }

  private static void requireNchw(String name, CNN2DFormat format) {
    if (format != CNN2DFormat.NCHW) {
      throw new UnsupportedLayerException(
          "layer " + name, "it is laid out " + format + "; NCHW is supported.");
    }
  }

  private static void requireNoDilation(String name, int[] dilation) {
    if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) {
      throw new UnsupportedLayerException(
          "layer " + name, "it has dilation " + Arrays.toString(dilation) + "; 1 is supported.");
    }
  }
}
