package dev.tltf.features.export;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.io.WriteAside;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.backbone.BatchNormFolding;
import dev.tltf.features.backbone.HeadBackbones;
import dev.tltf.features.export.onnx.OnnxExport;
import dev.tltf.features.export.onnx.OnnxGraph;
import dev.tltf.features.export.onnx.OnnxModelFile;
import dev.tltf.features.export.onnx.UnsupportedLayerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/export-model}: InceptionV3 + head (or the head alone) as one model file for serving.
 */
@Command(
    name = "export-model",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 110,
    description = {
      "Saves the backbone and a trained head as one model for serving.",
      "dl4j: a DL4J ComputationGraph (ModelSerializer zip): ComputationGraph.load(file, false).outputSingle(images) "
          + "with images NCHW [n, 3, size, size], scaled x / 127.5 - 1; the zip also holds the labels ('labels') "
          + "and the fingerprint ('fingerprint').",
      "onnx: one ONNX file (opset 17): input 'image' uint8 [n, size, size, 3] RGB, resized as the head's "
          + "fingerprint says; outputs 'probabilities' [n, classes] (labels.txt order) and 'features' [n, 2048]; "
          + "metadata 'labels' (JSON), 'fingerprint', 'tltf_version'. With --head-only: input 'features' "
          + "[n, 2048] as stored, output 'probabilities'."
    })
public final class ExportModelCommand implements Callable<Integer> {
  /** What --format accepts. */
  public enum Format {
    DL4J,
    ONNX
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--head",
      required = true,
      paramLabel = "DIR",
      description = "Head directory (from train-head).")
  String head;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Model file to write (.zip for dl4j, " + ".onnx for onnx).")
  String out;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "dl4j or onnx. Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = "--head-only",
      description =
          "ONNX only: export the head alone, stored vectors in, probabilities "
              + "out (no backbone, no --weights).")
  boolean headOnly;

  @Option(
      names = "--weights",
      paramLabel = "FILE.h5",
      description =
          "The weight file the head's features came from "
              + "(checked by SHA-256; not needed for heads on random weights). Default: ${DEFAULT-VALUE}.")
  String weights;

  @Option(
      names = "--overwrite",
      description = "Replace an existing model file at --out (only one tltf wrote).")
  boolean overwrite;

  public static void main(String[] args) {
    JobMain.exit(new ExportModelCommand(), args);
  }

  /** A DL4J model file: a zip holding ModelSerializer's configuration.json. */
  static boolean isModel(FileSystem fs, Path path) throws IOException {
    if (!HadoopPaths.isFile(fs, path)) {
      return false;
    }
    try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(fs.open(path))) {
      for (java.util.zip.ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        if (entry.getName().equals(ModelSerializer.CONFIGURATION_JSON)) {
          return true;
        }
      }
      return false;
    }
  }

  /** An ONNX file tltf wrote. */
  static boolean isOnnxModel(FileSystem fs, Path path) throws IOException {
    if (!HadoopPaths.isFile(fs, path)) {
      return false;
    }
    try (InputStream in = fs.open(path)) {
      return OnnxModelFile.isTltfModel(in);
    }
  }

  @Override
  public Integer call() throws Exception {
    Configuration conf = new Configuration();
    boolean weightsGiven = spec.commandLine().getParseResult().hasMatchedOption("--weights");
    InvalidInputException.check(
        !headOnly || format == Format.ONNX,
        "Invalid flags: --head-only needs --format onnx "
            + "(the head's DL4J form is the model.zip in its directory).");
    InvalidInputException.check(
        !headOnly || !weightsGiven,
        "Invalid flags: --weights is not used with --head-only "
            + "(the head alone has no backbone); leave it out.");
    Head model = HeadDirectory.load(head, conf);
    BackboneSpec backbone =
        headOnly ? null : HeadBackbones.forHead(model, head, weights, weightsGiven);
    if (format == Format.ONNX) {
      HadoopPaths.checkCanCreate(
          "an ONNX model", out, overwrite, ExportModelCommand::isOnnxModel, conf);
      OnnxGraph graph = onnxGraph(model, backbone, conf);
      Map<String, String> metadata =
          OnnxExport.metadata(model.labels(), model.fingerprint(), !headOnly);
      writeAside(conf, stream -> OnnxExport.write(graph, metadata, stream));
      System.out.printf(
          "export-model: %s%s (%d classes, %,d parameters) written to %s as ONNX%n",
          headOnly ? "head " : "InceptionV3 (" + model.fingerprint().describe() + ") + head ",
          head,
          model.labels().size(),
          graph.parameters(),
          out);
      return JobMain.EXIT_OK;
    }
    HadoopPaths.checkCanCreate("a model", out, overwrite, ExportModelCommand::isModel, conf);
    ComputationGraph merged = MergedModel.build(Backbones.build(backbone, conf), model);
    java.nio.file.Path local = java.nio.file.Files.createTempFile("tltf-export-", ".zip");
    try {
      ModelSerializer.writeModel(merged, local.toFile(), false);
      ModelSerializer.addObjectToFile(local.toFile(), "labels", new ArrayList<>(model.labels()));
      ModelSerializer.addObjectToFile(local.toFile(), "fingerprint", model.fingerprint().toJson());
      writeAside(conf, stream -> java.nio.file.Files.copy(local, stream));
    } finally {
      java.nio.file.Files.deleteIfExists(local);
    }
    System.out.printf(
        "export-model: InceptionV3 (%s) + head %s (%d classes) written to %s%n",
        model.fingerprint().describe(), head, model.labels().size(), out);
    return JobMain.EXIT_OK;
  }

  /**
   * The whole ONNX graph, built in memory before anything is written. A head this exporter cannot
   * lower is bad input, refused with its layer named (the head alone is lowered first, which costs
   * little); the backbone is the feature job's own inference graph (batch norm folded), which
   * always lowers.
   */
  private OnnxGraph onnxGraph(Head model, BackboneSpec backbone, Configuration conf) {
    OnnxGraph headAlone;
    try {
      headAlone = OnnxExport.featureModel(model.network());
    } catch (UnsupportedLayerException e) {
      throw new InvalidInputException(
          "Cannot export head "
              + head
              + " to ONNX: at its "
              + e.subject().replace("head ", "")
              + ", "
              + e.problem(),
          e);
    }
    if (headOnly) {
      return headAlone;
    }
    ComputationGraph folded =
        BatchNormFolding.fold(Backbones.build(backbone, conf), backbone.inputSize());
    return OnnxExport.imageModel(folded, backbone.inputSize(), model.network());
  }

  /** Body of a model file. */
  @FunctionalInterface
  private interface ModelWriter {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes the model beside --out under a unique name, then renames it into place (atomic on HDFS
   * and local disks).
   */
  private void writeAside(Configuration conf, ModelWriter body) throws IOException {
    Path target = HadoopPaths.qualify(out, conf);
    FileSystem fs = HadoopPaths.fileSystem(target, conf);
    try (WriteAside aside = WriteAside.file(fs, target, overwrite)) {
      try (OutputStream stream = fs.create(aside.temp(), false)) {
        body.write(stream);
      }
      aside.commit();
    }
  }
}
