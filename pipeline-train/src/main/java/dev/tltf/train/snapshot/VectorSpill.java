package dev.tltf.train.snapshot;

import dev.tltf.train.labels.Labeling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The vectors of one split, kept in a local temporary file instead of the heap, so a head trains on
 * millions of rows in bounded memory: only each row's path and image_id stay in memory. Rows are
 * appended once and then read by index in any order (shuffled mini-batches). Labels are kept apart
 * ({@link Labeling}), so one spill serves several label files.
 *
 * <p>Reads go through memory maps of the file (in slices of at most {@value #MAP_SLICE_ROWS} rows,
 * since one map holds at most 2 GB): a row is then a copy out of the page cache, not a system call
 * per row. The maps live outside the heap and the OS pages them out under pressure, so memory stays
 * bounded as before.
 */
public final class VectorSpill implements AutoCloseable {
  private static final int WRITE_BUFFER_ROWS = 256;

  /** Rows per memory map: 65,536 rows of 2048 floats is 512 MB, well under a map's 2 GB limit. */
  private static final int MAP_SLICE_ROWS = 65_536;

  private final int dimension;
  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer writeBuffer;
  private FloatBuffer[] slices;
  private final List<String> paths = new ArrayList<>();
  private final List<String> imageIds = new ArrayList<>();
  private int size;

  private VectorSpill(int dimension, Path file) throws IOException {
    this.dimension = dimension;
    this.file = file;
    this.channel =
        FileChannel.open(
            file,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            StandardOpenOption.DELETE_ON_CLOSE);
    this.writeBuffer =
        ByteBuffer.allocateDirect(WRITE_BUFFER_ROWS * dimension * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
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
      throw new IllegalArgumentException(
          "Vector of length " + vector.length + ", expected " + dimension);
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
      slices = null;
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

  /**
   * Copies rows {@code rows[0..count)} into {@code target}, back to back; call after the last
   * {@link #flush}.
   */
  public void read(int[] rows, int count, float[] target) {
    FloatBuffer[] maps = slices();
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row < 0 || row >= size) {
        throw new IndexOutOfBoundsException("Row " + row + " of a spill of " + size + " rows");
      }
      maps[row / MAP_SLICE_ROWS].get(
          (row % MAP_SLICE_ROWS) * dimension, target, i * dimension, dimension);
    }
  }

  /** Read-only maps of the written rows, made on the first read after a flush. */
  private synchronized FloatBuffer[] slices() {
    if (slices == null) {
      try {
        long rowBytes = (long) dimension * Float.BYTES;
        if (channel.size() < size * rowBytes) {
          throw new IllegalStateException(
              "Rows of " + file + " are still buffered: flush() before reading");
        }
        FloatBuffer[] maps = new FloatBuffer[(size + MAP_SLICE_ROWS - 1) / MAP_SLICE_ROWS];
        for (int s = 0; s < maps.length; s++) {
          long first = (long) s * MAP_SLICE_ROWS;
          long rows = Math.min(MAP_SLICE_ROWS, size - first);
          maps[s] =
              channel
                  .map(FileChannel.MapMode.READ_ONLY, first * rowBytes, rows * rowBytes)
                  .order(ByteOrder.LITTLE_ENDIAN)
                  .asFloatBuffer();
        }
        slices = maps;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return slices;
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
