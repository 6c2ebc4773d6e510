package dev.tltf.features.export.onnx;

import dev.tltf.common.io.Json;
import dev.tltf.common.store.BackboneFingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The two ONNX models tltf exports, with their contract:
 *
 * <ul>
 *   <li>{@link #imageModel}: input {@value #IMAGE}, uint8 [N, S, S, 3] RGB, already resized to the
 *       fingerprint's input size S with its resize method; inside the graph Cast → {@code x / 127.5
 *       − 1} (Div, Sub, exactly as the feature job scales) → Transpose to NCHW → the backbone →
 *       {@value #FEATURES} float32 [N, 2048] (the store's vectors) → the head → {@value
 *       #PROBABILITIES} float32 [N, K] in labels.txt order.
 *   <li>{@link #featureModel}: input {@value #FEATURES} float32 [N, 2048] as stored → {@value
 *       #PROBABILITIES}.
 * </ul>
 *
 * Both carry metadata_props {@code labels} (a JSON array, output order), {@code fingerprint} (the
 * backbone fingerprint's JSON), {@code tltf_version} and {@code input} (what the input holds, in
 * words).
 */
public final class OnnxExport {
  public static final String IMAGE = "image";
  public static final String FEATURES = "features";
  public static final String PROBABILITIES = "probabilities";

  /** The symbolic batch dimension. */
  public static final String BATCH = "N";

  private OnnxExport() {}

  /**
   * Preprocessing, the backbone (lowered from its DL4J graph as it is) and the head, in one graph.
   */
  public static OnnxGraph imageModel(
      ComputationGraph backbone, int inputSize, MultiLayerNetwork head) {
    OnnxGraph onnx = new OnnxGraph("tltf-image-classifier");
    onnx.input(IMAGE, OnnxGraph.UINT8, BATCH, (long) inputSize, (long) inputSize, 3L);
    String pixels =
        onnx.node(
            "Cast",
            "preprocess/cast",
            List.of(IMAGE),
            OnnxGraph.Attribute.of("to", (long) OnnxGraph.FLOAT));
    String scaled =
        onnx.node(
            "Div", "preprocess/divide", List.of(pixels, onnx.scalar("preprocess/127.5", 127.5f)));
    String shifted =
        onnx.node("Sub", "preprocess/shift", List.of(scaled, onnx.scalar("preprocess/1", 1f)));
    String nchw =
        onnx.node(
            "Transpose",
            "preprocess/nchw",
            List.of(shifted),
            OnnxGraph.Attribute.ints("perm", 0, 3, 1, 2));
    GraphLowering.lower(
        backbone,
        InputType.convolutional(inputSize, inputSize, 3, CNN2DFormat.NCHW),
        onnx,
        nchw,
        FEATURES);
    long dimension = HeadLowering.inputs(head);
    HeadLowering.lower(head, onnx, FEATURES, PROBABILITIES);
    onnx.output(FEATURES, OnnxGraph.FLOAT, BATCH, dimension);
    onnx.output(PROBABILITIES, OnnxGraph.FLOAT, BATCH, HeadLowering.outputs(head));
    return onnx;
  }

  /** The head alone, over stored vectors. */
  public static OnnxGraph featureModel(MultiLayerNetwork head) {
    OnnxGraph onnx = new OnnxGraph("tltf-head");
    onnx.input(FEATURES, OnnxGraph.FLOAT, BATCH, HeadLowering.inputs(head));
    HeadLowering.lower(head, onnx, FEATURES, PROBABILITIES);
    onnx.output(PROBABILITIES, OnnxGraph.FLOAT, BATCH, HeadLowering.outputs(head));
    return onnx;
  }

  public static Map<String, String> metadata(
      List<String> labels, BackboneFingerprint fingerprint, boolean imageInput) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("labels", Json.write(labels));
    metadata.put("fingerprint", fingerprint.toJson());
    metadata.put("tltf_version", version());
    metadata.put(
        "input",
        imageInput
            ? String.format(
                "image: uint8 [N, %d, %d, 3], RGB, decoded and resized to %d×%d with '%s' (as the feature "
                    + "store's fingerprint says); scaling x / 127.5 - 1 and NCHW happen inside the graph",
                fingerprint.inputSize(),
                fingerprint.inputSize(),
                fingerprint.inputSize(),
                fingerprint.inputSize(),
                fingerprint.resize())
            : String.format(
                "features: float32 [N, %d], the feature store's vectors as stored",
                fingerprint.dimension()));
    return metadata;
  }

  public static void write(OnnxGraph graph, Map<String, String> metadata, OutputStream out) {
    OnnxModelFile.write(graph, version(), "tltf export: " + metadata.get("input"), metadata, out);
  }

  /** tltf's version, from the build. */
  public static String version() {
    try (InputStream in =
        OnnxExport.class.getResourceAsStream("/dev/tltf/features/export/tltf-version.properties")) {
      if (in == null) {
        throw new IllegalStateException("tltf-version.properties is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
