package dev.tltf.features.export.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX {@code GraphProto} under construction: nodes in the order they are added (which must be
 * topological, as ONNX requires), float32 initializers stored as little-endian {@code raw_data},
 * and typed graph inputs and outputs. Value names are checked to be defined before use, so a
 * lowering bug fails here rather than in a runtime.
 */
public final class OnnxGraph {
  /** {@code TensorProto.DataType} values used here. */
  public static final int FLOAT = 1;

  public static final int UINT8 = 2;
  public static final int INT64 = 7;

  private static final int ATTRIBUTE_FLOAT = 1;
  private static final int ATTRIBUTE_INT = 2;
  private static final int ATTRIBUTE_INTS = 7;

  private final String name;
  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final List<ProtoWriter> inputs = new ArrayList<>();
  private final List<ProtoWriter> outputs = new ArrayList<>();
  private final Set<String> defined = new HashSet<>();
  private final Set<String> nodeNames = new HashSet<>();
  private long parameters;

  public OnnxGraph(String name) {
    this.name = name;
  }

  /**
   * A graph input; each dimension is a {@link Long} (fixed) or a {@link String} (symbolic, such as
   * the batch size).
   */
  public void input(String value, int elementType, Object... dims) {
    define(value);
    inputs.add(valueInfo(value, elementType, dims));
  }

  public void output(String value, int elementType, Object... dims) {
    if (!defined.contains(value)) {
      throw new IllegalStateException("Graph output " + value + " is computed by no node");
    }
    outputs.add(valueInfo(value, elementType, dims));
  }

  /** A float32 constant; returns its name. */
  public String initializer(String value, long[] dims, float[] data) {
    long count = 1;
    for (long dim : dims) {
      count *= dim;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(
          "Initializer "
              + value
              + " has "
              + data.length
              + " values for shape "
              + java.util.Arrays.toString(dims));
    }
    define(value);
    ByteBuffer raw = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(data);
    ProtoWriter tensor = new ProtoWriter();
    for (long dim : dims) {
      tensor.varint(1, dim); // repeated int64 dims (proto2: unpacked)
    }
    initializers.add(
        tensor
            .varint(2, FLOAT) // data_type
            .string(8, value) // name
            .bytes(9, raw.array())); // raw_data
    parameters += data.length;
    return value;
  }

  /** A scalar float32 constant. */
  public String scalar(String value, float number) {
    return initializer(value, new long[0], new float[] {number});
  }

  /** Adds a node; every input must already be defined, every output must be new. */
  public void node(
      String opType,
      String nodeName,
      List<String> nodeInputs,
      List<String> nodeOutputs,
      Attribute... attributes) {
    for (String input : nodeInputs) {
      if (!defined.contains(input)) {
        throw new IllegalStateException(
            "Node "
                + nodeName
                + " ("
                + opType
                + ") reads "
                + input
                + ", which nothing defines before it");
      }
    }
    if (!nodeNames.add(nodeName)) {
      throw new IllegalStateException("Two nodes are named " + nodeName);
    }
    ProtoWriter node = new ProtoWriter();
    nodeInputs.forEach(input -> node.string(1, input));
    for (String output : nodeOutputs) {
      define(output);
      node.string(2, output);
    }
    node.string(3, nodeName).string(4, opType);
    for (Attribute attribute : attributes) {
      node.message(5, attribute.proto());
    }
    nodes.add(node);
  }

  /** One node with one output named after the node. */
  public String node(
      String opType, String nodeName, List<String> nodeInputs, Attribute... attributes) {
    node(opType, nodeName, nodeInputs, List.of(nodeName), attributes);
    return nodeName;
  }

  public boolean isDefined(String value) {
    return defined.contains(value);
  }

  /** Float32 numbers held in initializers. */
  public long parameters() {
    return parameters;
  }

  ProtoWriter proto() {
    ProtoWriter graph = new ProtoWriter();
    nodes.forEach(node -> graph.message(1, node));
    graph.string(2, name);
    initializers.forEach(initializer -> graph.message(5, initializer));
    inputs.forEach(input -> graph.message(11, input));
    outputs.forEach(output -> graph.message(12, output));
    return graph;
  }

  private void define(String value) {
    if (!defined.add(value)) {
      throw new IllegalStateException("Value " + value + " is defined twice");
    }
  }

  private static ProtoWriter valueInfo(String value, int elementType, Object... dims) {
    ProtoWriter shape = new ProtoWriter();
    for (Object dim : dims) {
      ProtoWriter dimension = new ProtoWriter();
      if (dim instanceof Long fixed) {
        dimension.varint(1, fixed); // dim_value
      } else if (dim instanceof Integer fixed) {
        dimension.varint(1, fixed);
      } else {
        dimension.string(2, (String) dim); // dim_param
      }
      shape.message(1, dimension);
    }
    ProtoWriter tensor = new ProtoWriter().varint(1, elementType).message(2, shape);
    ProtoWriter type = new ProtoWriter().message(1, tensor); // TypeProto.tensor_type
    return new ProtoWriter().string(1, value).message(2, type);
  }

  /** A node attribute ({@code AttributeProto}) of one of the three kinds the exporter uses. */
  public record Attribute(String name, int type, long integer, float real, long[] integers) {
    public static Attribute of(String name, long value) {
      return new Attribute(name, ATTRIBUTE_INT, value, 0, null);
    }

    public static Attribute of(String name, float value) {
      return new Attribute(name, ATTRIBUTE_FLOAT, 0, value, null);
    }

    public static Attribute ints(String name, long... values) {
      return new Attribute(name, ATTRIBUTE_INTS, 0, 0, values.clone());
    }

    ProtoWriter proto() {
      ProtoWriter proto = new ProtoWriter().string(1, name).varint(20, type);
      switch (type) {
        case ATTRIBUTE_FLOAT -> proto.float32(2, real);
        case ATTRIBUTE_INT -> proto.varint(3, integer);
        default -> {
          for (long value : integers) {
            proto.varint(8, value); // repeated int64 ints, unpacked (proto2 default)
          }
        }
      }
      return proto;
    }
  }
}
