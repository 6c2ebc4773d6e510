package dev.tltf.features.benchmark;

import ai.onnxruntime.OrtException;
import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.export.onnx.OnnxExport;
import dev.tltf.features.export.onnx.OnnxRuntimeModel;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * head, with {@code threads} intra-op threads. It is fed what a serving client sends, uint8 NHWC
 * pixels; the in-graph scaling and transpose cost next to nothing.
 */
final class OnnxRuntimeForward implements AutoCloseable {
  private final OnnxRuntimeModel model;
  private final double exportSeconds;

  private OnnxRuntimeForward(OnnxRuntimeModel model, double exportSeconds) {
    this.model = model;
    this.exportSeconds = exportSeconds;
  }

  static OnnxRuntimeForward start(Backbone backbone, int threads, Path workDir) throws Exception {
    long start = System.nanoTime();
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
    Path file = workDir.resolve("inception_v3_benchmark.onnx");
    Files.createDirectories(workDir);
    try (OutputStream out = Files.newOutputStream(file)) {
      OnnxExport.write(
          OnnxExport.imageModel(backbone.graph(), backbone.spec().inputSize(), head),
          Map.of("input", "benchmark"),
          out);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new OnnxRuntimeForward(OnnxRuntimeModel.load(file, threads), seconds);
  }

  /** One forward pass over {@code batch} images of uint8 NHWC {@code pixels}. */
  void forward(byte[] pixels, int batch, int size) {
    try {
      model.runImages(pixels, batch, size);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed", e);
    }
  }

  double exportSeconds() {
    return exportSeconds;
  }

  @Override
  public void close() throws OrtException {
    model.close();
  }
}
