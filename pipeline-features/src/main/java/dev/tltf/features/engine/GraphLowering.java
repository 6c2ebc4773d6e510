package dev.tltf.features.engine;

import dev.tltf.features.engine.LoweredGraph.Concat;
import dev.tltf.features.engine.LoweredGraph.Convolution;
import dev.tltf.features.engine.LoweredGraph.GlobalAveragePooling;
import dev.tltf.features.engine.LoweredGraph.Padding;
import dev.tltf.features.engine.LoweredGraph.Pooling;
import dev.tltf.features.engine.LoweredGraph.Shape;
import dev.tltf.features.engine.LoweredGraph.Step;
import dev.tltf.features.lowering.SamePadding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * Lowers a DL4J inference {@link ComputationGraph} (NCHW, float32, one input, one output) to a
 * {@link LoweredGraph}: walks the vertices in DL4J's topological order and turns each into a step
 * with its output shape and explicit padding. Knows convolutions (bias, ReLU or identity),
 * max/average subsampling, merge (channel concat) and global average pooling; anything else is an
 * {@link UnsupportedLayerException} naming the vertex, so a graph is either run entirely by the
 * engine or not at all.
 *
 * <p>Padding follows DL4J, which follows TensorFlow: 'Same' is {@link SamePadding} (the smaller
 * half before, asymmetric for odd totals; the ONNX export pads from it too); 'Truncate' ('valid')
 * uses the layer's explicit symmetric padding, usually 0.
 */
final class GraphLowering {
  private final ComputationGraph graph;
  private final ComputationGraphConfiguration conf;
  private final Map<String, Shape> shapes = new HashMap<>();
  private final List<Step> steps = new ArrayList<>();

  private GraphLowering(ComputationGraph graph) {
    this.graph = graph;
    this.conf = graph.getConfiguration();
  }

  static LoweredGraph lower(ComputationGraph graph, int inputSize) {
    return new GraphLowering(graph).run(inputSize);
  }

  private LoweredGraph run(int inputSize) {
    List<String> inputs = conf.getNetworkInputs();
    List<String> outputs = conf.getNetworkOutputs();
    if (inputs.size() != 1 || outputs.size() != 1) {
      throw new UnsupportedLayerException(
          "Cannot run this graph on the oneDNN engine: it has "
              + inputs.size()
              + " inputs and "
              + outputs.size()
              + " outputs (the engine runs one of each).");
    }
    String input = inputs.get(0);
    Shape inputShape = new Shape(3, inputSize, inputSize);
    shapes.put(input, inputShape);
    GraphVertex[] vertices = graph.getVertices();
    for (int index : graph.topologicalSortOrder()) {
      GraphVertex vertex = vertices[index];
      if (vertex.isInputVertex()) {
        continue;
      }
      steps.add(lowerVertex(vertex));
      shapes.put(vertex.getVertexName(), steps.get(steps.size() - 1).output());
    }
    String last = steps.get(steps.size() - 1).name();
    if (!last.equals(outputs.get(0))) {
      throw new UnsupportedLayerException(
          "Cannot run this graph on the oneDNN engine: its output "
              + outputs.get(0)
              + " is not the last vertex in topological order ("
              + last
              + ").");
    }
    return new LoweredGraph(input, inputShape, steps);
  }

  private Step lowerVertex(GraphVertex vertex) {
    String name = vertex.getVertexName();
    List<String> inputs = conf.getVertexInputs().get(name);
    org.deeplearning4j.nn.conf.graph.GraphVertex vertexConf = conf.getVertices().get(name);
    if (vertexConf instanceof MergeVertex) {
      return concat(name, inputs);
    }
    if (!(vertexConf instanceof LayerVertex layerVertex)) {
      throw unsupported(name, vertexConf.getClass().getSimpleName() + " vertices");
    }
    if (layerVertex.getPreProcessor() != null) {
      throw unsupported(
          name,
          "input preprocessors (" + layerVertex.getPreProcessor().getClass().getSimpleName() + ")");
    }
    if (inputs.size() != 1) {
      throw unsupported(name, "layers with " + inputs.size() + " inputs");
    }
    String input = inputs.get(0);
    Shape in = shapes.get(input);
    Layer layer = layerVertex.getLayerConf().getLayer();
    // Exact classes: subclasses (depthwise, separable, deconvolution, 1D/3D) compute something
    // else.
    if (layer.getClass() == ConvolutionLayer.class) {
      return convolution(name, input, in, (ConvolutionLayer) layer, vertex.getLayer());
    } else if (layer.getClass() == SubsamplingLayer.class) {
      return pooling(name, input, in, (SubsamplingLayer) layer);
    } else if (layer.getClass() == GlobalPoolingLayer.class) {
      return globalPooling(name, input, in, (GlobalPoolingLayer) layer);
    }
    throw unsupported(name, layer.getClass().getSimpleName() + " layers");
  }

  private Step concat(String name, List<String> inputs) {
    Shape first = shapes.get(inputs.get(0));
    int channels = 0;
    for (String input : inputs) {
      Shape shape = shapes.get(input);
      if (shape.height() != first.height() || shape.width() != first.width()) {
        throw unsupported(name, "merging tensors of different sizes (" + inputs + ")");
      }
      channels += shape.channels();
    }
    return new Concat(name, inputs, new Shape(channels, first.height(), first.width()));
  }

  private Step convolution(
      String name,
      String input,
      Shape in,
      ConvolutionLayer layer,
      org.deeplearning4j.nn.api.Layer params) {
    checkNchw(name, layer.getCnn2dDataFormat());
    checkNoDilation(name, layer.getDilation());
    int[] kernel = layer.getKernelSize();
    int[] stride = layer.getStride();
    Window window =
        window(name, in, kernel, stride, layer.getPadding(), layer.getConvolutionMode());
    int outChannels = (int) layer.getNOut();
    if (layer.getNIn() != in.channels()) {
      throw unsupported(
          name, "a layer expecting " + layer.getNIn() + " input channels on " + in.channels());
    }
    float[] weights =
        params.getParam(ConvolutionParamInitializer.WEIGHT_KEY).dup('c').data().asFloat();
    float[] bias =
        layer.hasBias()
            ? params.getParam(ConvolutionParamInitializer.BIAS_KEY).dup('c').data().asFloat()
            : new float[outChannels];
    return new Convolution(
        name,
        input,
        new Shape(outChannels, window.height, window.width),
        kernel[0],
        kernel[1],
        stride[0],
        stride[1],
        window.padding,
        weights,
        bias,
        isRelu(name, layer.getActivationFn()));
  }

  private Step pooling(String name, String input, Shape in, SubsamplingLayer layer) {
    checkNchw(name, layer.getCnn2dDataFormat());
    checkNoDilation(name, layer.getDilation());
    PoolingType type = layer.getPoolingType();
    if (type != PoolingType.MAX && type != PoolingType.AVG) {
      throw unsupported(name, type + " subsampling");
    }
    int[] kernel = layer.getKernelSize();
    int[] stride = layer.getStride();
    Window window =
        window(name, in, kernel, stride, layer.getPadding(), layer.getConvolutionMode());
    return new Pooling(
        name,
        input,
        new Shape(in.channels(), window.height, window.width),
        type == PoolingType.MAX,
        !layer.isAvgPoolIncludePadInDivisor(),
        kernel[0],
        kernel[1],
        stride[0],
        stride[1],
        window.padding);
  }

  private Step globalPooling(String name, String input, Shape in, GlobalPoolingLayer layer) {
    if (layer.getPoolingType() != PoolingType.AVG) {
      throw unsupported(name, "global " + layer.getPoolingType() + " pooling");
    }
    int[] dims = layer.getPoolingDimensions();
    if (dims != null && !(dims.length == 2 && dims[0] == 2 && dims[1] == 3)) {
      throw unsupported(name, "global pooling over dimensions " + java.util.Arrays.toString(dims));
    }
    if (!layer.isCollapseDimensions()) {
      throw unsupported(name, "global pooling that keeps its spatial dimensions");
    }
    return new GlobalAveragePooling(name, input, new Shape(in.channels(), 1, 1));
  }

  private record Window(int height, int width, Padding padding) {}

  private Window window(
      String name, Shape in, int[] kernel, int[] stride, int[] padding, ConvolutionMode mode) {
    if (mode == ConvolutionMode.Same) {
      SamePadding vertical = SamePadding.of(in.height(), kernel[0], stride[0]);
      SamePadding horizontal = SamePadding.of(in.width(), kernel[1], stride[1]);
      return new Window(
          vertical.output(),
          horizontal.output(),
          new Padding(
              vertical.before(), horizontal.before(), vertical.after(), horizontal.after()));
    }
    if (mode != ConvolutionMode.Truncate) {
      throw unsupported(name, "convolution mode " + mode);
    }
    int height = SamePadding.outputSize(in.height(), kernel[0], stride[0], padding[0], padding[0]);
    int width = SamePadding.outputSize(in.width(), kernel[1], stride[1], padding[1], padding[1]);
    if (height < 1 || width < 1) {
      throw unsupported(
          name,
          "a "
              + kernel[0]
              + "×"
              + kernel[1]
              + " window on a "
              + in.height()
              + "×"
              + in.width()
              + " input");
    }
    // Truncate drops the rows and columns no window reaches, so the far side reads no more than its
    // padding.
    int bottom = Math.max((height - 1) * stride[0] + kernel[0] - in.height() - padding[0], 0);
    int right = Math.max((width - 1) * stride[1] + kernel[1] - in.width() - padding[1], 0);
    return new Window(height, width, new Padding(padding[0], padding[1], bottom, right));
  }

  private boolean isRelu(String name, IActivation activation) {
    if (activation instanceof ActivationIdentity) {
      return false;
    }
    if (activation instanceof ActivationReLU relu
        && relu.getMax() == null
        && relu.getNegativeSlope() == null
        && (relu.getThreshold() == null || relu.getThreshold() == 0)) {
      return true;
    }
    throw unsupported(name, "activation " + activation + " (only ReLU and identity are fused)");
  }

  private void checkNchw(String name, CNN2DFormat format) {
    if (format != CNN2DFormat.NCHW) {
      throw unsupported(name, format + " layers (the engine lowers NCHW graphs)");
    }
  }

  private void checkNoDilation(String name, int[] dilation) {
    if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) {
      throw unsupported(name, "dilation " + java.util.Arrays.toString(dilation));
    }
  }

  private static UnsupportedLayerException unsupported(String vertex, String what) {
    return new UnsupportedLayerException(
        "Cannot run vertex '"
            + vertex
            + "' on the oneDNN engine: it does not support "
            + what
            + ". Use --engine dl4j for this graph.");
  }
}
