package dev.tltf.common.head;

import dev.tltf.common.NativeSetup;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.io.WriteAside;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The on-disk form of a {@link Head}, on any Hadoop file system:
 *
 * <pre>
 *   head.json      format version, backbone fingerprint, labels, resolved training settings
 *   labels.txt     one label per line; line i is output i
 *   model.zip      the DL4J network (ModelSerializer)
 *   …              whatever else the trainer adds: metrics.json, report.html, misclassified.csv
 * </pre>
 *
 * A head directory is written whole into a hidden sibling and renamed into place, so a killed run
 * never leaves a half-written head that {@link #load} would accept; {@link #load} checks every part
 * before returning.
 */
public final class HeadDirectory {
  static {
    NativeSetup.ensure();
  }

  public static final String MANIFEST = "head.json";
  public static final String LABELS = "labels.txt";
  public static final String MODEL = "model.zip";

  private HeadDirectory() {}

  /**
   * Writes {@code head} and {@code extraFiles} (name → bytes) as a new head directory at {@code
   * location}. An existing directory is refused unless {@code overwrite}, and then replaced only
   * once the new one is complete.
   */
  public static void write(
      String location,
      Head head,
      Map<String, Object> training,
      Map<String, byte[]> extraFiles,
      boolean overwrite,
      Configuration conf)
      throws IOException {
    Path target = HadoopPaths.qualify(location, conf);
    FileSystem fs = HadoopPaths.fileSystem(target, conf);
    HadoopPaths.checkCanCreate("a head", location, overwrite, HeadDirectory::isHead, conf);
    try (WriteAside aside = WriteAside.directory(fs, target)) {
      Path temp = aside.temp();
      fs.mkdirs(temp);
      HeadManifest manifest =
          new HeadManifest(
              HeadManifest.FORMAT,
              HeadManifest.FORMAT_VERSION,
              head.fingerprint(),
              head.labels(),
              new LinkedHashMap<>(training),
              Instant.now().toString());
      writeBytes(fs, new Path(temp, MANIFEST), manifest.toJson().getBytes(StandardCharsets.UTF_8));
      writeBytes(
          fs,
          new Path(temp, LABELS),
          (String.join("\n", head.labels()) + "\n").getBytes(StandardCharsets.UTF_8));
      try (OutputStream out = fs.create(new Path(temp, MODEL), false)) {
        ModelSerializer.writeModel(head.network(), out, false);
      }
      for (Map.Entry<String, byte[]> file : extraFiles.entrySet()) {
        writeBytes(fs, new Path(temp, file.getKey()), file.getValue());
      }
      aside.commit();
    }
  }

  /**
   * Loads and validates the head at {@code location}; anything missing or inconsistent is bad
   * input.
   */
  public static Head load(String location, Configuration conf) {
    try {
      Path dir = HadoopPaths.qualify(location, conf);
      FileSystem fs = HadoopPaths.fileSystem(dir, conf);
      InvalidInputException.check(
          HadoopPaths.isDirectory(fs, dir),
          "Cannot use head %s: it does not exist or is not a directory.",
          location);
      for (String part : List.of(MANIFEST, LABELS, MODEL)) {
        InvalidInputException.check(
            HadoopPaths.isFile(fs, new Path(dir, part)),
            "Cannot use head %s: it has no %s, so it is not a complete tltf head directory.",
            location,
            part);
      }
      HeadManifest manifest;
      try {
        manifest = HeadManifest.fromJson(HadoopPaths.readUtf8(new Path(dir, MANIFEST), conf));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(
            "Cannot use head " + location + ": " + e.getMessage() + ".", e);
      }
      InvalidInputException.check(
          HeadManifest.FORMAT.equals(manifest.format())
              && manifest.fingerprint() != null
              && manifest.labels() != null
              && !manifest.labels().isEmpty(),
          "Cannot use head %s: head.json does not describe a tltf head.",
          location);
      InvalidInputException.check(
          manifest.formatVersion() <= HeadManifest.FORMAT_VERSION,
          "Cannot use head %s: it has format version %d, and this tltf reads versions up to %d.",
          location,
          manifest.formatVersion(),
          HeadManifest.FORMAT_VERSION);
      List<String> labels = readLabels(fs, new Path(dir, LABELS));
      InvalidInputException.check(
          labels.equals(manifest.labels()),
          "Cannot use head %s: labels.txt (%d labels) does not match head.json (%d labels).",
          location,
          labels.size(),
          manifest.labels().size());
      MultiLayerNetwork network = readNetwork(fs, new Path(dir, MODEL), location);
      int inputs =
          (int)
              ((FeedForwardLayer) network.getLayerWiseConfigurations().getConf(0).getLayer())
                  .getNIn();
      int outputs = (int) ((FeedForwardLayer) network.getOutputLayer().conf().getLayer()).getNOut();
      InvalidInputException.check(
          outputs == labels.size(),
          "Cannot use head %s: the model has %d outputs but labels.txt has %d labels.",
          location,
          outputs,
          labels.size());
      InvalidInputException.check(
          inputs == manifest.fingerprint().dimension(),
          "Cannot use head %s: the model takes %d-d vectors but its backbone gives %d-d.",
          location,
          inputs,
          manifest.fingerprint().dimension());
      return new Head(network, labels, manifest.fingerprint());
    } catch (IOException e) {
      // a missing or forbidden path is the user's; a refused connection or a timeout may pass
      throw dev.tltf.common.error.RetryableException.fromIo("Cannot use head " + location, e);
    }
  }

  /** Whether {@code path} is a head directory (it has head.json). */
  public static boolean isHead(FileSystem fs, Path path) throws IOException {
    return HadoopPaths.isDirectory(fs, path) && HadoopPaths.isFile(fs, new Path(path, MANIFEST));
  }

  /** Reads head.json alone (for reports and checks that need no network). */
  public static HeadManifest readManifest(String location, Configuration conf) throws IOException {
    return HeadManifest.fromJson(
        HadoopPaths.readUtf8(new Path(HadoopPaths.qualify(location, conf), MANIFEST), conf));
  }

  private static MultiLayerNetwork readNetwork(FileSystem fs, Path model, String location)
      throws IOException {
    InputStream opened = fs.open(model); // failing here is I/O; failing below is a damaged model
    try (InputStream in = opened) {
      return ModelSerializer.restoreMultiLayerNetwork(in, false);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "Cannot use head "
              + location
              + ": model.zip is not a readable DL4J network ("
              + e.getMessage()
              + ").",
          e);
    }
  }

  private static List<String> readLabels(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      String text = bytes.toString(StandardCharsets.UTF_8);
      return Arrays.stream(text.split("\n", -1)).filter(line -> !line.isEmpty()).toList();
    }
  }

  private static void writeBytes(FileSystem fs, Path path, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(bytes);
    }
  }
}
