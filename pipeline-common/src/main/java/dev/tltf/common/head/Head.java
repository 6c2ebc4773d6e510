package dev.tltf.common.head;

import dev.tltf.common.NativeSetup;
import dev.tltf.common.store.BackboneFingerprint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained classifier over backbone vectors: raw feature vector in, class probabilities out. Any
 * standardisation used in training is already folded into the first layer's weights, so the network
 * takes the vectors exactly as the feature store holds them. Immutable; {@link #probabilities} is
 * safe to call from several threads.
 */
public final class Head {
  static {
    NativeSetup.ensure();
  }

  private final MultiLayerNetwork network;
  private final List<String> labels;
  private final BackboneFingerprint fingerprint;

  public Head(MultiLayerNetwork network, List<String> labels, BackboneFingerprint fingerprint) {
    this.network = Objects.requireNonNull(network, "network");
    this.labels = List.copyOf(labels);
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
  }

  public List<String> labels() {
    return labels;
  }

  public BackboneFingerprint fingerprint() {
    return fingerprint;
  }

  /** The network itself, for export; callers must not change it. */
  public MultiLayerNetwork network() {
    return network;
  }

  /** Class probabilities for each row of {@code vectors} ({@code n × dimension}). */
  public float[][] probabilities(float[][] vectors) {
    if (vectors.length == 0) {
      return new float[0][];
    }
    INDArray input = Nd4j.create(vectors);
    INDArray output;
    synchronized (network) {
      output = network.output(input, false);
    }
    return output.toFloatMatrix();
  }

  /** The {@code k} most probable classes of one probability row, best first. */
  public List<Prediction> topK(float[] probabilities, int k) {
    List<Prediction> all = new ArrayList<>(probabilities.length);
    for (int i = 0; i < probabilities.length; i++) {
      all.add(new Prediction(i, labels.get(i), probabilities[i]));
    }
    all.sort(
        Comparator.comparingDouble(Prediction::probability)
            .reversed()
            .thenComparing(Prediction::index));
    return all.subList(0, Math.min(k, all.size()));
  }

  /** One ranked class. */
  public record Prediction(int index, String label, float probability) {}
}
