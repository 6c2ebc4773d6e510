package dev.tltf.features.benchmark;

import ai.onnxruntime.OrtEnvironment;
import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.export.onnx.OnnxExport;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The third forward-pass column: ONNX Runtime (Java API, CPU) on the model {@code export-model
 * --format onnx} writes for our very backbone (same weights, batch norm folded) and a 10-class
 * head, run as a {@link ChildBenchmark} ({@link OnnxRuntimeServer}) whose classpath is ONNX
 * Runtime's jar and this module's classes only. It is fed what a serving client sends, uint8 NHWC
 * pixels; the in-graph scaling and transpose cost next to nothing.
 */
final class OnnxRuntimeForward {
  private OnnxRuntimeForward() {}

  /** Writes the image model (backbone + a seeded 10-class softmax head) to {@code file}. */
  static void export(Backbone backbone, Path file) throws IOException {
    MultiLayerNetwork head =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .list()
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(2048)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
    head.init();
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      OnnxExport.write(
          OnnxExport.imageModel(backbone.graph(), backbone.spec().inputSize(), head),
          Map.of("input", "benchmark"),
          out);
    }
  }

  /** Starts ONNX Runtime on {@code model} in its own JVM with {@code threads} intra-op threads. */
  static ChildBenchmark start(Path model, int size, int threads, Path log) throws IOException {
    String classpath =
        codeSource(OnnxRuntimeServer.class) + File.pathSeparator + codeSource(OrtEnvironment.class);
    return ChildBenchmark.start(
        "ONNX Runtime",
        "1g",
        classpath,
        OnnxRuntimeServer.class.getName(),
        List.of(model.toString(), Integer.toString(size), Integer.toString(threads)),
        Map.of(),
        log);
  }

  /** The jar or classes folder a class was loaded from (a class literal does not initialise it). */
  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the classes of " + type.getName(), e);
    }
  }
}
