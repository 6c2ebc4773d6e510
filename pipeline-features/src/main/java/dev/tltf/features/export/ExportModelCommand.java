package dev.tltf.features.export;

import dev.tltf.common.cli.JobMain;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.io.HadoopPaths;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.backbone.HeadBackbones;
import java.io.OutputStream;
import java.util.ArrayList;
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

/** {@code bin/export-model}: InceptionV3 + head as one DL4J model file for serving. */
@Command(name = "export-model", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
    description = "Saves the backbone (frozen) and a trained head as one DL4J ComputationGraph (ModelSerializer zip). "
        + "Serving code: ComputationGraph.load(file, false).outputSingle(images) with images NCHW [n, 3, size, size], "
        + "scaled x / 127.5 - 1; the zip also holds the labels ('labels') and the fingerprint ('fingerprint').")
public final class ExportModelCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--head", required = true, paramLabel = "DIR", description = "Head directory (from train-head).")
  String head;

  @Option(names = "--out", required = true, paramLabel = "FILE.zip", description = "Model file to write.")
  String out;

  @Option(names = "--weights", paramLabel = "FILE.h5", description = "The weight file the head's features came from "
      + "(checked by SHA-256; not needed for heads on random weights). Default: ${DEFAULT-VALUE}.")
  String weights;

  @Option(names = "--overwrite", description = "Replace an existing file at --out.")
  boolean overwrite;

  public static void main(String[] args) {
    JobMain.exit(new ExportModelCommand(), args);
  }

  /** A DL4J model file: a zip holding ModelSerializer's configuration.json. */
  static boolean isModel(FileSystem fs, Path path) throws java.io.IOException {
    if (!fs.isFile(path)) {
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

  @Override
  public Integer call() throws Exception {
    Configuration conf = new Configuration();
    Head model = HeadDirectory.load(head, conf);
    boolean weightsGiven = spec.commandLine().getParseResult().hasMatchedOption("--weights");
    BackboneSpec backbone = HeadBackbones.forHead(model, head, weights, weightsGiven);
    HadoopPaths.checkCanCreate("a model", out, overwrite, ExportModelCommand::isModel, conf);
    ComputationGraph merged = MergedModel.build(Backbones.build(backbone, conf), model);

    Path target = HadoopPaths.qualify(out, conf);
    FileSystem fs = HadoopPaths.fileSystem(target, conf);
    java.nio.file.Path local = java.nio.file.Files.createTempFile("tltf-export-", ".zip");
    try {
      ModelSerializer.writeModel(merged, local.toFile(), false);
      ModelSerializer.addObjectToFile(local.toFile(), "labels", new ArrayList<>(model.labels()));
      ModelSerializer.addObjectToFile(local.toFile(), "fingerprint", model.fingerprint().toJson());
      Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + java.util.UUID.randomUUID());
      try (OutputStream stream = fs.create(temp, false)) {
        java.nio.file.Files.copy(local, stream);
      }
      if (overwrite && fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(temp, target)) {
        fs.delete(temp, false);
        throw new java.io.IOException("Cannot write model to " + out + ": rename from " + temp + " failed");
      }
    } finally {
      java.nio.file.Files.deleteIfExists(local);
    }
    System.out.printf("export-model: InceptionV3 (%s) + head %s (%d classes) written to %s%n",
        model.fingerprint().describe(), head, model.labels().size(), out);
    return JobMain.EXIT_OK;
  }
}
