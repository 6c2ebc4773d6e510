package dev.tltf.tfref;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Raw float32 little-endian files, no header: how tensors travel between the test JVM and this one.
 */
final class Float32Files {
  private Float32Files() {}

  /**
   * Reads exactly {@code count} floats; a file of any other length is refused with both lengths
   * named.
   */
  static float[] read(Path file, long count) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("Cannot read --input " + file + ": no such file.", e);
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read --input " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length != count * Float.BYTES) {
      throw new InvalidInputException(
          "Invalid --input "
              + file
              + ": "
              + bytes.length
              + " bytes, expected "
              + count * Float.BYTES
              + " ("
              + count
              + " float32 values).");
    }
    float[] values = new float[Math.toIntExact(count)];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  static void write(Path file, float[] values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    try {
      Files.write(file, bytes.array());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write --out " + file, e);
    }
  }
}
