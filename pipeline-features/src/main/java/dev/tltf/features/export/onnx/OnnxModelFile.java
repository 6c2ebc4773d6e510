package dev.tltf.features.export.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes an ONNX {@code ModelProto}: IR version 8 with the default operator set at {@value #OPSET}
 * (ONNX 1.12, read by every ONNX Runtime since 1.12), producer {@value #PRODUCER}, the graph and
 * string metadata. The first fields are written in a fixed order so that {@link #isTltfModel} can
 * recognise a file tltf wrote without parsing it.
 */
public final class OnnxModelFile {
  public static final long IR_VERSION = 8;
  public static final long OPSET = 17;
  public static final String PRODUCER = "tltf";

  private OnnxModelFile() {}

  public static void write(
      OnnxGraph graph,
      String producerVersion,
      String docString,
      Map<String, String> metadata,
      OutputStream out) {
    ProtoWriter model = new ProtoWriter(out);
    model
        .varint(1, IR_VERSION) // ir_version
        .string(2, PRODUCER) // producer_name
        .string(3, producerVersion) // producer_version
        .string(4, "dev.tltf") // domain
        .string(6, docString) // doc_string
        .message(8, new ProtoWriter().string(1, "").varint(2, OPSET)); // opset_import
    metadata.forEach(
        (key, value) -> model.message(14, new ProtoWriter().string(1, key).string(2, value)));
    model.message(7, graph.proto()); // graph
  }

  /**
   * Whether {@code in} starts the way {@link #write} starts a file: IR version, then producer
   * "tltf".
   */
  public static boolean isTltfModel(InputStream in) throws IOException {
    byte[] producer = PRODUCER.getBytes(StandardCharsets.UTF_8);
    byte[] expected = new byte[4 + producer.length];
    expected[0] = 0x08;
    expected[1] = (byte) IR_VERSION;
    expected[2] = 0x12;
    expected[3] = (byte) producer.length;
    System.arraycopy(producer, 0, expected, 4, producer.length);
    return Arrays.equals(in.readNBytes(expected.length), expected);
  }
}
