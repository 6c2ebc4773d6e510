package dev.tltf.features.engine;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Native float memory aligned to 64 bytes (a cache line, what oneDNN's kernels like), from {@code
 * malloc} and freed by {@link #close()} at once: not counted against JavaCPP's heap-sized budget
 * and not left to the GC.
 */
final class NativeBuffer implements AutoCloseable {
  private static final int ALIGNMENT = 64;
  private final Pointer base;
  private final long pad;
  private final long bytes;

  NativeBuffer(long bytes) {
    this.bytes = bytes;
    this.base = Pointer.malloc(bytes + ALIGNMENT);
    if (base == null || base.isNull()) {
      throw new OutOfMemoryError(
          "Cannot allocate " + bytes + " bytes of native memory for the oneDNN engine");
    }
    this.pad = (ALIGNMENT - base.address() % ALIGNMENT) % ALIGNMENT;
  }

  /**
   * The aligned start as a byte pointer, to pass as a oneDNN data handle ({@code void*}: JavaCPP
   * adds the position in bytes there, so the view must count bytes).
   */
  BytePointer handle() {
    return bytes(0);
  }

  long bytes() {
    return bytes;
  }

  void put(float[] values, int length) {
    floats().put(values, 0, length);
  }

  void get(long fromFloat, float[] values) {
    floats().position(pad / Float.BYTES + fromFloat).get(values, 0, values.length);
  }

  void zero(long fromFloat) {
    Pointer.memset(bytes(fromFloat * Float.BYTES), 0, bytes - fromFloat * Float.BYTES);
  }

  private BytePointer bytes(long offset) {
    BytePointer view = new BytePointer(base);
    view.capacity(pad + bytes);
    return view.position(pad + offset);
  }

  private FloatPointer floats() {
    FloatPointer view = new FloatPointer(base);
    view.capacity((pad + bytes) / Float.BYTES);
    return view.position(pad / Float.BYTES);
  }

  @Override
  public void close() {
    if (!base.isNull()) {
      Pointer.free(base);
      base.setNull();
    }
  }
}
