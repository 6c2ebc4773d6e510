package dev.tltf.features.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code dev.tltf.tfref.TfInceptionV3Reference} (module pipeline-features/tf-reference:
 * InceptionV3 from TensorFlow's own ops) in a child JVM — TF Java and ND4J need different JavaCPP
 * versions, so they never share one — and exchanges tensors with it as raw float32 little-endian
 * files. The child is the same {@code java} as this JVM, on the classpath the module's build wrote
 * to {@code target/classpath.txt}.
 */
final class TfReference {
  private static final String MAIN_CLASS = "dev.tltf.tfref.TfInceptionV3Reference";

  /**
   * A 299 px batch of a few images takes ~10 s on 2 cores, most of it starting TensorFlow; leave a
   * wide margin.
   */
  private static final long TIMEOUT_SECONDS = 300;

  static final int FEATURES = 2048;

  private final String classpath;
  private final Path workDir;
  private int runs;

  private TfReference(String classpath, Path workDir) {
    this.classpath = classpath;
    this.workDir = workDir;
  }

  /**
   * The reference built by this checkout ({@code user.dir} is pipeline-features while its tests
   * run); fails, saying how to build it, if it is not there. Tensor files go to {@code workDir}.
   */
  static TfReference built(Path workDir) {
    Path module = Path.of(System.getProperty("user.dir")).resolve("tf-reference").toAbsolutePath();
    Path classes = module.resolve("target/classes");
    Path classpathFile = module.resolve("target/classpath.txt");
    if (!Files.isRegularFile(classes.resolve(MAIN_CLASS.replace('.', '/') + ".class"))
        || !Files.isRegularFile(classpathFile)) {
      fail(
          "The TensorFlow reference is not built: expected "
              + classes
              + " and "
              + classpathFile
              + "; run 'mvn install -DskipTests' (or any build up to 'compile') at the repository root first.");
    }
    try {
      return new TfReference(
          classes + java.io.File.pathSeparator + Files.readString(classpathFile).strip(), workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Features of {@code count} preprocessed images, NHWC [count, size, size, 3] in {@code nhwc}. */
  float[][] tensor(Path weights, float[] nhwc, int count, int size) {
    Path input = workDir.resolve("input-" + ++runs + ".f32");
    Path output = workDir.resolve("features-" + runs + ".f32");
    writeFloats(input, nhwc);
    succeed(
        List.of(
            "tensor",
            "--weights",
            weights.toString(),
            "--input",
            input.toString(),
            "--count",
            Integer.toString(count),
            "--size",
            Integer.toString(size),
            "--out",
            output.toString()));
    return rows(readFloats(output), count);
  }

  /** Features of image files, decoded, resized and scaled by TensorFlow's own ops. */
  float[][] images(Path weights, int size, List<Path> files) {
    Path output = workDir.resolve("features-" + ++runs + ".f32");
    List<String> args =
        new ArrayList<>(
            List.of(
                "images",
                "--weights",
                weights.toString(),
                "--size",
                Integer.toString(size),
                "--out",
                output.toString()));
    files.forEach(file -> args.add(file.toString()));
    succeed(args);
    return rows(readFloats(output), files.size());
  }

  /**
   * Image files decoded and resized (bilinear) by TensorFlow, not scaled (0..255), one float array
   * per file, HWC {@code [size, size, 3]}; no network runs.
   */
  float[][] pixels(int size, List<Path> files) {
    Path output = workDir.resolve("pixels-" + ++runs + ".f32");
    List<String> args =
        new ArrayList<>(
            List.of("pixels", "--size", Integer.toString(size), "--out", output.toString()));
    files.forEach(file -> args.add(file.toString()));
    succeed(args);
    float[] flat = readFloats(output);
    int perImage = size * size * 3;
    assertEquals((long) files.size() * perImage, flat.length, "floats written by the reference");
    float[][] images = new float[files.size()][perImage];
    for (int i = 0; i < files.size(); i++) {
      System.arraycopy(flat, i * perImage, images[i], 0, perImage);
    }
    return images;
  }

  /** What one run of the reference did: its exit status and everything it printed. */
  record Outcome(int exitStatus, String output) {}

  Outcome run(List<String> args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                classpath,
                MAIN_CLASS));
    command.addAll(args);
    Path log = workDir.resolve("reference-" + ++runs + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Only quietens TensorFlow's C++ logging; the numerics stay TensorFlow's defaults (oneDNN
    // included).
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    try {
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        fail(
            "The TensorFlow reference ran longer than "
                + TIMEOUT_SECONDS
                + " s: "
                + command
                + "\n"
                + Files.readString(log));
      }
      return new Outcome(process.exitValue(), Files.readString(log));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run the TensorFlow reference: " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while the TensorFlow reference ran", e);
    }
  }

  private void succeed(List<String> args) {
    Outcome outcome = run(args);
    assertEquals(
        0,
        outcome.exitStatus(),
        () -> "The TensorFlow reference failed (" + args + "):\n" + outcome.output());
    outcome
        .output()
        .lines()
        .filter(line -> line.startsWith("TensorFlow "))
        .forEach(System.out::println);
  }

  private static float[][] rows(float[] flat, int count) {
    assertEquals((long) count * FEATURES, flat.length, "floats written by the reference");
    float[][] rows = new float[count][FEATURES];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * FEATURES, rows[i], 0, FEATURES);
    }
    return rows;
  }

  static void writeFloats(Path file, float[] values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    try {
      Files.write(file, bytes.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[] readFloats(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      float[] values = new float[bytes.length / Float.BYTES];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
