package dev.tltf.train.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The vectors of one split, kept in a local temporary file instead of the heap, so a head trains on millions of
 * rows in bounded memory: only each row's path and image_id stay in memory. Rows are appended once and then read
 * by index in any order (shuffled mini-batches). Labels are kept apart ({@link Labeling}), so one spill serves
 * several label files.
 */
public final class VectorSpill implements AutoCloseable {
  private static final int WRITE_BUFFER_ROWS = 256;

  private final int dimension;
  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer writeBuffer;
  private final ByteBuffer rowBuffer;
  private final List<String> paths = new ArrayList<>();
  private final List<String> imageIds = new ArrayList<>();
  private int size;

  private VectorSpill(int dimension, Path file) throws IOException {
    this.dimension = dimension;
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.DELETE_ON_CLOSE);
    this.writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_ROWS * dimension * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    this.rowBuffer = ByteBuffer.allocateDirect(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A new, empty spill in the JVM's temporary directory. */
  public static VectorSpill create(int dimension) {
    try {
      return new VectorSpill(dimension, Files.createTempFile("tltf-vectors-", ".f32"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary vector file: " + e.getMessage(), e);
    }
  }

  public int dimension() {
    return dimension;
  }

  public int size() {
    return size;
  }

  public void append(float[] vector, String path, String imageId) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException("Vector of length " + vector.length + ", expected " + dimension);
    }
    if (!writeBuffer.hasRemaining()) {
      flush();
    }
    writeBuffer.asFloatBuffer().put(vector);
    writeBuffer.position(writeBuffer.position() + dimension * Float.BYTES);
    paths.add(path);
    imageIds.add(imageId);
    size++;
  }

  /** Writes what is buffered; call once after the last append. */
  public void flush() {
    try {
      writeBuffer.flip();
      while (writeBuffer.hasRemaining()) {
        channel.write(writeBuffer, channel.size());
      }
      writeBuffer.clear();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public String path(int row) {
    return paths.get(row);
  }

  public String imageId(int row) {
    return imageIds.get(row);
  }

  /** Copies rows {@code rows[0..count)} into {@code target}, back to back. */
  public void read(int[] rows, int count, float[] target) {
    try {
      for (int i = 0; i < count; i++) {
        rowBuffer.clear();
        long position = (long) rows[i] * dimension * Float.BYTES;
        while (rowBuffer.hasRemaining()) {
          if (channel.read(rowBuffer, position + rowBuffer.position()) < 0) {
            throw new IOException("unexpected end of file at row " + rows[i]);
          }
        }
        rowBuffer.flip();
        rowBuffer.asFloatBuffer().get(target, i * dimension, dimension);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close " + file + ": " + e.getMessage(), e);
    }
  }
}
