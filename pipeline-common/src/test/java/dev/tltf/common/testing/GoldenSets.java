package dev.tltf.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The golden sets under {@code src/test/resources/golden/<version>/} of pipeline-common: a store, a
 * head directory, predictions and a head-only ONNX file written by an earlier tltf
 * (make-golden.sh), and expected.json, recorded when they were written without tltf's readers.
 * Every version listed in {@code golden/versions.txt} must keep loading. The sets travel to the
 * other modules' tests in pipeline-common's test jar, so a set is copied out of the classpath (by
 * its {@code files.txt}) into a directory where Hadoop paths can reach it.
 */
public final class GoldenSets {
  private GoldenSets() {}

  /** Every committed golden version, oldest first. */
  public static List<String> versions() {
    List<String> versions = new ArrayList<>();
    for (String line : resourceText("golden/versions.txt").split("\n", -1)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        versions.add(line.strip());
      }
    }
    return versions;
  }

  /**
   * The newest set: it alone pins what today's code writes (the predictions schema, the CSV
   * header), since a deliberate format change makes a new set without rewriting the old ones.
   */
  public static String latest() {
    List<String> versions = versions();
    return versions.get(versions.size() - 1);
  }

  /** Copies the set {@code version} into {@code dir/version} and returns that directory. */
  public static Path copy(String version, Path dir) {
    Path root = dir.resolve(version);
    try {
      for (String file : resourceText("golden/" + version + "/files.txt").split("\n", -1)) {
        if (file.isBlank()) {
          continue;
        }
        Path target = root.resolve(file);
        Files.createDirectories(target.getParent());
        try (InputStream in = resource("golden/" + version + "/" + file)) {
          Files.copy(in, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy golden set " + version, e);
    }
    return root;
  }

  /** The set's expected.json. */
  public static JsonNode expected(String version) {
    try {
      return Json.mapper().readTree(resourceText("golden/" + version + "/expected.json"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot parse expected.json of golden set " + version, e);
    }
  }

  /**
   * The checksum expected.json records for a vector: SHA-256 of its float32 values, big-endian, in
   * order.
   */
  public static String sha256(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * vector.length);
    for (float value : vector) {
      bytes.putFloat(value);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Rewrites the {@code formatVersion} of a JSON manifest (for refusal tests on a copy). */
  public static void setFormatVersion(Path manifest, int version) throws IOException {
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    String bumped =
        json.replaceFirst("\"formatVersion\"\\s*:\\s*\\d+", "\"formatVersion\" : " + version);
    if (bumped.equals(json)) {
      throw new IllegalStateException(manifest + " has no formatVersion");
    }
    Files.writeString(manifest, bumped, StandardCharsets.UTF_8);
  }

  private static String resourceText(String name) {
    try (InputStream in = resource(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read test resource " + name, e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = GoldenSets.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("Test resource " + name + " is missing from the classpath");
    }
    return in;
  }
}
