package dev.tltf.features.backbone;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.io.Sha256;
import io.jhdf.HdfFile;
import io.jhdf.exceptions.HdfException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One backbone per JVM: built on first use from its {@link BackboneSpec} and shared by every task
 * of the executor, so a weight file is read once per executor (not once per task) and ND4J's
 * threads serve one forward pass at a time instead of competing.
 */
public final class Backbones {
  static {
    OneDnnLayerHelpers.ensure();
  }

  private static Backbone current;

  private Backbones() {}

  /**
   * The shared inference backbone: the reference graph with its batch norms folded into the
   * convolutions ({@link BatchNormFolding}), the same features to within 1e-4 at about 20 % less
   * time per pass.
   */
  public static synchronized Backbone get(BackboneSpec spec, Configuration conf) {
    if (current == null || !current.spec().equals(spec)) {
      if (current != null) {
        current.close(); // frees the previous spec's oneDNN buffers; a pass still holding it would
        // rebuild them
      }
      current = null;
      current = new Backbone(BatchNormFolding.fold(build(spec, conf), spec.inputSize()), spec);
    }
    return current;
  }

  /**
   * Checks, without building any network, that the weights a job will load are what the backbone
   * needs: for a weight file, the same SHA-256 as when the job started, a readable HDF5 file in the
   * Keras layout, every convolution and batch norm present with its shape, and its numbers
   * readable. The same first problem as {@link #build} is named; the driver calls this (not {@link
   * #get}) so that it builds no InceptionV3 it never runs. Seeded random weights need no check.
   */
  public static void validate(BackboneSpec spec, Configuration conf) {
    if (spec.weights() instanceof WeightsSource.KerasFile file) {
      withWeightFile(
          file,
          conf,
          hdf ->
              KerasWeights.check(InceptionV3.configuration(spec.inputSize(), 0), hdf, file.uri()));
    }
  }

  /**
   * A new reference graph of its own (not the shared one), Keras' layers one for one: for callers
   * that change it or save it, such as export.
   */
  public static ComputationGraph build(BackboneSpec spec, Configuration conf) {
    if (spec.weights() instanceof WeightsSource.Random random) {
      return InceptionV3.randomlyInitialised(spec.inputSize(), random.seed());
    }
    WeightsSource.KerasFile file = (WeightsSource.KerasFile) spec.weights();
    ComputationGraph[] graph = new ComputationGraph[1];
    withWeightFile(
        file,
        conf,
        hdf -> {
          graph[0] = InceptionV3.randomlyInitialised(spec.inputSize(), 0);
          KerasWeights.load(graph[0], hdf, file.uri());
        });
    return graph[0];
  }

  /** Runs {@code use} on the weight file, once its bytes are known to be the job's. */
  private static void withWeightFile(
      WeightsSource.KerasFile file, Configuration conf, java.util.function.Consumer<HdfFile> use) {
    byte[] bytes = readWeightFile(file.uri(), conf);
    String sha256 = Sha256.hex(bytes);
    InvalidInputException.check(
        sha256.equals(file.sha256()),
        "Cannot load weights %s: its SHA-256 is now %s but was %s when the job started; the file changed.",
        file.uri(),
        sha256,
        file.sha256());
    try (HdfFile hdf = HdfFile.fromBytes(bytes)) {
      use.accept(hdf);
    } catch (HdfException e) {
      throw new InvalidInputException(
          "Cannot load weights "
              + file.uri()
              + ": it is not a readable HDF5 file ("
              + e.getMessage()
              + ").",
          e);
    }
  }

  static byte[] readWeightFile(String uri, Configuration conf) {
    Path path = new Path(uri);
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read weights " + uri + ": " + e.getMessage(), e);
    }
  }
}
