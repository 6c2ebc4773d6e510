package dev.tltf.features.engine;

import static dev.tltf.features.engine.Dnnl.check;
import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_stream;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The backbone's forward pass on oneDNN primitives: a DL4J inference graph lowered once ({@link
 * GraphLowering}), compiled per batch size ({@link CompiledNetwork}) on first use and reused. A
 * batch smaller than a compiled size but more than half of it runs padded in that network (a
 * feature job's last, partial batch); anything else gets its own network, and at most {@value
 * #MAX_NETWORKS} are kept (least recently used closed first), so memory stays bounded whatever
 * batch sizes callers use. One forward pass at a time; threads are OpenMP's (OMP_NUM_THREADS).
 */
public final class OneDnnEngine implements AutoCloseable {
  static final int MAX_NETWORKS = 3;

  static {
    Dnnl.load();
  }

  private final LoweredGraph graph;
  private final dnnl_engine engine = new dnnl_engine();
  private final dnnl_stream stream = new dnnl_stream();
  private final Map<Integer, CompiledNetwork> networks = new LinkedHashMap<>(4, 0.75f, true);
  private boolean closed;

  private OneDnnEngine(LoweredGraph graph) {
    this.graph = graph;
    check(dnnl_engine_create(engine, dnnl_cpu, 0), "create a CPU engine");
    int status = dnnl_stream_create(stream, engine, dnnl_stream_default_flags);
    if (status != dnnl_success) {
      dnnl_engine_destroy(engine);
      check(status, "create a stream");
    }
  }

  /**
   * Lowers an inference graph (batch norm already folded, see {@code BatchNormFolding}) for square
   * inputs of {@code inputSize}; throws {@link UnsupportedLayerException} naming the first vertex
   * it cannot run.
   */
  public static OneDnnEngine lower(ComputationGraph graph, int inputSize) {
    return new OneDnnEngine(GraphLowering.lower(graph, inputSize));
  }

  /** An engine for an already lowered graph (tests that build steps by hand). */
  static OneDnnEngine of(LoweredGraph graph) {
    return new OneDnnEngine(graph);
  }

  public int featureLength() {
    return (int) graph.last().output().size();
  }

  /** Features of {@code count} images laid out back to back in {@code images} (CHW floats each). */
  public synchronized float[][] features(float[] images, int count) {
    if (closed) {
      throw new IllegalStateException("The oneDNN engine was closed");
    }
    if (count == 0) {
      return new float[0][];
    }
    long length = (long) count * graph.inputShape().size();
    if (images.length < length) {
      throw new IllegalArgumentException(
          "Input holds fewer than " + count + " images of " + graph.inputShape().height() + "px");
    }
    return network(count).run(images, count);
  }

  /**
   * The implementations oneDNN chose for the network of this batch size, compiling it if needed.
   */
  public synchronized Map<String, Integer> implementations(int batch) {
    return new TreeMap<>(network(batch).implementations());
  }

  /** Native bytes held by the network of this batch size (compiling it if needed). */
  public synchronized long nativeBytes(int batch) {
    return network(batch).nativeBytes();
  }

  /** The batch sizes compiled now. */
  synchronized java.util.Set<Integer> compiledBatchSizes() {
    return new java.util.TreeSet<>(networks.keySet());
  }

  private CompiledNetwork network(int count) {
    CompiledNetwork best = null;
    for (CompiledNetwork network : networks.values()) {
      if (network.batch() >= count
          && network.batch() <= 2 * count
          && (best == null || network.batch() < best.batch())) {
        best = network;
      }
    }
    if (best != null) {
      networks.get(best.batch()); // marks it recently used
      return best;
    }
    if (networks.size() >= MAX_NETWORKS) {
      Iterator<CompiledNetwork> eldest = networks.values().iterator();
      eldest.next().close();
      eldest.remove();
    }
    CompiledNetwork network = new CompiledNetwork(graph, count, engine, stream);
    networks.put(count, network);
    return network;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (CompiledNetwork network : networks.values()) {
      network.close();
    }
    networks.clear();
    dnnl_stream_destroy(stream);
    dnnl_engine_destroy(engine);
  }
}
