package dev.tltf.tfref;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * One float32 N×N by N×N MatMul in TensorFlow, inputs fed as tensors made once: TensorFlow's GEMM
 * rate.
 */
final class TfGemm implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> a;
  private final Placeholder<TFloat32> b;
  private final Operand<TFloat32> product;
  private final TFloat32 left;
  private final TFloat32 right;

  private TfGemm(
      Graph graph,
      Session session,
      Placeholder<TFloat32> a,
      Placeholder<TFloat32> b,
      Operand<TFloat32> product,
      TFloat32 left,
      TFloat32 right) {
    this.graph = graph;
    this.session = session;
    this.a = a;
    this.b = b;
    this.product = product;
    this.left = left;
    this.right = right;
  }

  static TfGemm create(int n, int threads, float[] leftValues, float[] rightValues) {
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
    Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
    Operand<TFloat32> product = tf.linalg.matMul(a, b);
    Session session =
        new Session(
            graph,
            ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(1)
                .build());
    return new TfGemm(
        graph,
        session,
        a,
        b,
        product,
        TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(leftValues, true, false)),
        TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(rightValues, true, false)));
  }

  void run() {
    session.runner().feed(a, left).feed(b, right).fetch(product).run().close();
  }

  @Override
  public void close() {
    left.close();
    right.close();
    session.close();
    graph.close();
  }
}
