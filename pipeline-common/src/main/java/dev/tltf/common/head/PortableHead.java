package dev.tltf.common.head;

import dev.tltf.common.NativeSetup;
import dev.tltf.common.io.Sha256;
import dev.tltf.common.store.BackboneFingerprint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A {@link Head} in a form that travels to executors (ModelSerializer bytes, labels, fingerprint).
 * Each executor JVM rebuilds the network once per head and shares it between its tasks.
 */
public final class PortableHead implements Serializable {
  private static final long serialVersionUID = 1L;
  private static String cachedId;
  private static Head cached;

  private final byte[] model;
  private final List<String> labels;
  private final BackboneFingerprint fingerprint;
  private final String id;

  private PortableHead(byte[] model, List<String> labels, BackboneFingerprint fingerprint) {
    this.model = model;
    this.labels = List.copyOf(labels);
    this.fingerprint = fingerprint;
    this.id = Sha256.hex(model);
  }

  public static PortableHead of(Head head) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(head.network(), bytes, false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serialise the head network", e);
    }
    return new PortableHead(bytes.toByteArray(), head.labels(), head.fingerprint());
  }

  public List<String> labels() {
    return labels;
  }

  /** The head, built at most once per JVM for the same bytes. */
  public Head head() {
    synchronized (PortableHead.class) {
      if (!id.equals(cachedId)) {
        NativeSetup.ensure();
        try {
          MultiLayerNetwork network =
              ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model), false);
          cached = new Head(network, labels, fingerprint);
          cachedId = id;
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot rebuild the head network", e);
        }
      }
      return cached;
    }
  }
}
