package dev.tltf.features.export.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffer wire format, as much of it as ONNX files need: varint fields (int32, int64, enums), 32-bit
 * floats and length-delimited fields (strings, bytes, nested messages). Fields are written in the order they are
 * called; protobuf readers accept any order.
 *
 * <p>Why not protobuf-java: the job jar already carries three protobuf runtimes (Hadoop's 2.5, Spark's and ND4J's
 * shaded copies), a fourth would have to be shaded too, and the nine ONNX messages the exporter writes need only this
 * class; ONNX Runtime reading the files in the tests checks the encoding.
 */
public final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final ByteArrayOutputStream buffer;
  private final OutputStream out;

  /** A nested message, built in memory so that its length is known when it is written into its parent. */
  public ProtoWriter() {
    this.buffer = new ByteArrayOutputStream(256);
    this.out = buffer;
  }

  /** A top-level message, streamed to {@code out} as it is written. */
  public ProtoWriter(OutputStream out) {
    this.buffer = null;
    this.out = out;
  }

  public ProtoWriter varint(int field, long value) {
    tag(field, VARINT);
    rawVarint(value);
    return this;
  }

  public ProtoWriter float32(int field, float value) {
    tag(field, FIXED32);
    int bits = Float.floatToRawIntBits(value);
    write(new byte[] {(byte) bits, (byte) (bits >>> 8), (byte) (bits >>> 16), (byte) (bits >>> 24)});
    return this;
  }

  public ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  public ProtoWriter bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(value.length);
    write(value);
    return this;
  }

  public ProtoWriter message(int field, ProtoWriter message) {
    if (message.buffer == null) {
      throw new IllegalArgumentException("A streamed message cannot be nested");
    }
    tag(field, LENGTH_DELIMITED);
    rawVarint(message.buffer.size());
    try {
      message.buffer.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The bytes written so far (nested messages only). */
  public byte[] toByteArray() {
    if (buffer == null) {
      throw new IllegalStateException("A streamed message has no buffer");
    }
    return buffer.toByteArray();
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  /** Base-128, least significant group first; negative values take ten bytes, as protobuf writes int64. */
  private void rawVarint(long value) {
    byte[] bytes = new byte[10];
    int n = 0;
    while ((value & ~0x7FL) != 0) {
      bytes[n++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    bytes[n++] = (byte) value;
    try {
      out.write(bytes, 0, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(byte[] bytes) {
    try {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
