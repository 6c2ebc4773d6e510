package dev.tltf.tfref;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Image files to network input with TensorFlow's own ops, the way a Keras user preprocesses for
 * InceptionV3: {@code tf.io.decode_image(bytes, channels=3, expand_animations=False)}
 * (libjpeg-turbo, libpng, …; grey becomes three equal channels), {@code tf.image.resize(…,
 * method='bilinear', antialias=False)} — the ResizeBilinear op with half-pixel centres, no corner
 * alignment, float output, no rounding — and {@code x / 127.5 − 1}. Aspect ratio is not kept. One
 * image per call, as [1, size, size, 3] NHWC.
 */
final class TfImageLoader implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final Placeholder<TString> fileBytes;
  private final Operand<TFloat32> pixels;
  private final int size;

  private TfImageLoader(
      Graph graph,
      Session session,
      Placeholder<TString> fileBytes,
      Operand<TFloat32> pixels,
      int size) {
    this.graph = graph;
    this.session = session;
    this.fileBytes = fileBytes;
    this.pixels = pixels;
    this.size = size;
  }

  static TfImageLoader create(int size, int threads) {
    return create(size, threads, true);
  }

  /**
   * {@code scaled} false leaves out {@code x / 127.5 − 1}, for checking the resize alone:
   * TensorFlow evaluates that division as {@code x · (1 / 127.5)}, which is one float step away
   * from the exact quotient (what NumPy, so Keras' {@code preprocess_input} on arrays, and our
   * preprocessor compute) for 111 of the 256 pixel values.
   */
  static TfImageLoader create(int size, int threads, boolean scaled) {
    Graph graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Placeholder<TString> fileBytes =
          tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      Operand<TUint8> rgb =
          tf.image.decodeImage(
              fileBytes,
              TUint8.class,
              DecodeImage.channels(3L),
              DecodeImage.expandAnimations(false));
      Operand<TFloat32> resized =
          tf.image.resizeBilinear(
              tf.expandDims(rgb, tf.constant(0)),
              tf.constant(new int[] {size, size}),
              ResizeBilinear.halfPixelCenters(true),
              ResizeBilinear.alignCorners(false));
      Operand<TFloat32> output =
          scaled
              ? tf.math.sub(tf.math.div(resized, tf.constant(127.5f)), tf.constant(1f))
              : resized;
      ConfigProto config =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(threads)
              .setInterOpParallelismThreads(1)
              .build();
      return new TfImageLoader(graph, new Session(graph, config), fileBytes, output, size);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** The preprocessed image in {@code file}: {@code size · size · 3} floats, HWC. */
  float[] load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("Cannot read image " + file + ": no such file.", e);
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read image " + file + ": " + e.getMessage(), e);
    }
    try (TString contents = TString.tensorOfBytes(Shape.scalar(), DataBuffers.ofObjects(bytes));
        Result result = session.runner().feed(fileBytes, contents).fetch(pixels).run()) {
      TFloat32 image = (TFloat32) result.get(0);
      float[] values = new float[size * size * 3];
      image.copyTo(DataBuffers.of(values, false, false));
      return values;
    } catch (TFInvalidArgumentException e) {
      // What DecodeImage raises for bytes it cannot decode.
      throw new InvalidInputException(
          "Cannot decode image " + file + " with TensorFlow: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
