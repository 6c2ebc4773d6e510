package dev.tltf.features.backbone;

import dev.tltf.features.engine.ForwardEngine;
import dev.tltf.features.engine.OneDnnEngine;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen feature extractor: preprocessed CHW images in, {@code avg_pool} vectors out. One
 * forward pass runs at a time per instance, using all of ND4J's threads; tasks of the same executor
 * share one instance (see {@link Backbones}) so that cores are not oversubscribed. With {@link
 * ForwardEngine#ONEDNN} the pass runs on the graph lowered to oneDNN primitives ({@link
 * OneDnnEngine}, built on first use); {@link #close()} frees its native memory (a later pass builds
 * it again).
 */
public final class Backbone implements AutoCloseable {
  private final ComputationGraph graph;
  private final BackboneSpec spec;
  private OneDnnEngine onednn;

  public Backbone(ComputationGraph graph, BackboneSpec spec) {
    this.graph = graph;
    this.spec = spec;
  }

  public BackboneSpec spec() {
    return spec;
  }

  /**
   * The graph it runs (for {@link Backbones#get}, the inference graph); callers must not change it.
   */
  public ComputationGraph graph() {
    return graph;
  }

  /**
   * Features of {@code count} images laid out back to back in {@code input} (each {@code 3 · size²}
   * floats, CHW).
   */
  public float[][] features(float[] input, int count) {
    int size = spec.inputSize();
    if (count == 0) {
      return new float[0][];
    }
    if ((long) count * 3 * size * size > input.length) {
      throw new IllegalArgumentException(
          "Input holds fewer than " + count + " images of " + size + "px");
    }
    synchronized (this) {
      if (spec.engine() == ForwardEngine.ONEDNN) {
        if (onednn == null) {
          onednn = OneDnnEngine.lower(graph, size);
        }
        return onednn.features(input, count);
      }
      INDArray batch = Nd4j.create(input, new long[] {count, 3, size, size}, 'c');
      INDArray output = graph.outputSingle(false, batch);
      return output.toFloatMatrix();
    }
  }

  @Override
  public synchronized void close() {
    if (onednn != null) {
      onednn.close();
      onednn = null;
    }
  }
}
