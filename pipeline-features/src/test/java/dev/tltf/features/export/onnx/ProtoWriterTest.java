package dev.tltf.features.export.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact checks of the wire format against encodings worked out by hand from the protobuf spec.
 */
class ProtoWriterTest {
  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void varintsAreBase128LeastSignificantGroupFirst() {
    assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray());
    assertArrayEquals(bytes(0x08, 0xAC, 0x02), new ProtoWriter().varint(1, 300).toByteArray());
    assertArrayEquals(bytes(0x10, 0x00), new ProtoWriter().varint(2, 0).toByteArray());
    // Field 20 needs a two-byte tag: (20 << 3) | 0 = 160.
    assertArrayEquals(bytes(0xA0, 0x01, 0x07), new ProtoWriter().varint(20, 7).toByteArray());
    // A negative int64 is ten bytes.
    assertArrayEquals(
        bytes(0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
        new ProtoWriter().varint(3, -1).toByteArray());
  }

  @Test
  void stringsFloatsAndNestedMessagesAreLengthDelimitedOrFixed() {
    assertArrayEquals(
        bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'),
        new ProtoWriter().string(2, "testing").toByteArray());
    assertArrayEquals(
        bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(2, 1f).toByteArray());
    ProtoWriter inner = new ProtoWriter().varint(1, 150);
    assertArrayEquals(
        bytes(0x1A, 0x03, 0x08, 0x96, 0x01), new ProtoWriter().message(3, inner).toByteArray());
    assertArrayEquals(
        bytes(0x0A, 0x02, 0xC3, 0xA9), new ProtoWriter().string(1, "é").toByteArray());
  }

  @Test
  void aModelFileStartsTheWayTheOwnershipCheckExpects() throws Exception {
    OnnxGraph graph = new OnnxGraph("g");
    graph.input("x", OnnxGraph.FLOAT, "N", 2L);
    graph.node("Relu", "y", java.util.List.of("x"));
    graph.output("y", OnnxGraph.FLOAT, "N", 2L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OnnxModelFile.write(graph, "1.0", "doc", Map.of("k", "v"), out);
    assertTrue(OnnxModelFile.isTltfModel(new ByteArrayInputStream(out.toByteArray())));
    assertFalse(
        OnnxModelFile.isTltfModel(
            new ByteArrayInputStream(
                "PK\u0003\u0004 a zip".getBytes(StandardCharsets.ISO_8859_1))));
    assertFalse(OnnxModelFile.isTltfModel(new ByteArrayInputStream(new byte[0])));
  }
}
