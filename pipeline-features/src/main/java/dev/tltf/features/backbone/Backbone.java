package dev.tltf.features.backbone;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen feature extractor: preprocessed CHW images in, {@code avg_pool} vectors out. One forward pass runs at
 * a time per instance, using all of ND4J's threads; tasks of the same executor share one instance (see
 * {@link Backbones}) so that cores are not oversubscribed.
 */
public final class Backbone {
  private final ComputationGraph graph;
  private final BackboneSpec spec;

  public Backbone(ComputationGraph graph, BackboneSpec spec) {
    this.graph = graph;
    this.spec = spec;
  }

  public BackboneSpec spec() {
    return spec;
  }

  /** The graph it runs (for {@link Backbones#get}, the inference graph); callers must not change it. */
  public ComputationGraph graph() {
    return graph;
  }

  /**
   * Features of {@code count} images laid out back to back in {@code input} (each {@code 3 · size²} floats, CHW).
   */
  public float[][] features(float[] input, int count) {
    int size = spec.inputSize();
    if (count == 0) {
      return new float[0][];
    }
    if ((long) count * 3 * size * size > input.length) {
      throw new IllegalArgumentException("Input holds fewer than " + count + " images of " + size + "px");
    }
    INDArray batch = Nd4j.create(input, new long[] {count, 3, size, size}, 'c');
    synchronized (this) {
      INDArray output = graph.outputSingle(false, batch);
      return output.toFloatMatrix();
    }
  }
}
