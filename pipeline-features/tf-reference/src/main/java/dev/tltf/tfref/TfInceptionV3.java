package dev.tltf.tfref;

import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * InceptionV3 up to {@code avg_pool} as one TensorFlow graph with the weights of a Keras file as
 * constants: input [N, size, size, 3] float32 (already scaled to [-1, 1]), output [N, 2048].
 */
final class TfInceptionV3 implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> features;
  private final int size;

  private TfInceptionV3(
      Graph graph,
      Session session,
      Placeholder<TFloat32> input,
      Operand<TFloat32> features,
      int size) {
    this.graph = graph;
    this.session = session;
    this.input = input;
    this.features = features;
    this.size = size;
  }

  /**
   * Builds the graph from {@code weightFile}, whose every dataset is checked against the
   * architecture first.
   */
  static TfInceptionV3 load(Path weightFile, int size, int threads) {
    Graph graph = new Graph();
    try (KerasWeightReader weights = KerasWeightReader.open(weightFile)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input =
          tf.withName("input")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, size, size, 3)));
      Operand<TFloat32> features = InceptionV3Architecture.build(new TfLayers(tf, weights), input);
      weights.checkAllLayersUsed();
      return new TfInceptionV3(graph, new Session(graph, config(threads)), input, features, size);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * {@code threads} for the ops themselves, one op at a time: the parallelism the caller asked for,
   * no more.
   */
  private static ConfigProto config(int threads) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(1)
        .build();
  }

  /**
   * The features of {@code count} images laid out NHWC in {@code images}, as {@code count · 2048}
   * floats.
   */
  float[] features(float[] images, int count) {
    long expected = (long) count * size * size * 3;
    if (images.length != expected) {
      throw new IllegalArgumentException(
          "Expected "
              + count
              + " images of "
              + size
              + "×"
              + size
              + "×3 = "
              + expected
              + " floats, got "
              + images.length);
    }
    try (TFloat32 batch =
            TFloat32.tensorOf(Shape.of(count, size, size, 3), DataBuffers.of(images, true, false));
        Result result = session.runner().feed(input, batch).fetch(features).run()) {
      TFloat32 output = (TFloat32) result.get(0);
      if (!output.shape().equals(Shape.of(count, InceptionV3Architecture.FEATURES))) {
        throw new IllegalStateException(
            "The graph gave features shaped "
                + output.shape()
                + ", expected ["
                + count
                + ", "
                + InceptionV3Architecture.FEATURES
                + "]");
      }
      float[] values = new float[Math.toIntExact(output.size())];
      output.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
