package dev.tltf.common.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tltf.common.io.Json;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Everything that decides what a feature vector means: the network, where it is cut, the weights
 * and the preprocessing. Two vectors may be compared, mixed or fed to the same head only when their
 * fingerprints are equal. It travels with every feature store and every head directory.
 *
 * @param model network name, e.g. {@code InceptionV3}
 * @param cutLayer layer whose output is the feature, e.g. {@code avg_pool}
 * @param dimension length of each feature vector
 * @param weights {@code sha256:<hex of the weight file>} or {@code random:<seed>}
 * @param inputSize side of the square network input, in pixels
 * @param resize resize method, {@code bilinear} or {@code nearest}
 * @param scaling pixel scaling, {@code tf} = x / 127.5 - 1
 */
@JsonPropertyOrder({"model", "cutLayer", "dimension", "weights", "inputSize", "resize", "scaling"})
public record BackboneFingerprint(
    @JsonProperty("model") String model,
    @JsonProperty("cutLayer") String cutLayer,
    @JsonProperty("dimension") int dimension,
    @JsonProperty("weights") String weights,
    @JsonProperty("inputSize") int inputSize,
    @JsonProperty("resize") String resize,
    @JsonProperty("scaling") String scaling)
    implements Serializable {

  public BackboneFingerprint {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(cutLayer, "cutLayer");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(resize, "resize");
    Objects.requireNonNull(scaling, "scaling");
    if (dimension <= 0 || inputSize <= 0) {
      throw new IllegalArgumentException(
          "Invalid fingerprint: dimension " + dimension + ", input size " + inputSize);
    }
  }

  public static String randomWeights(long seed) {
    return "random:" + seed;
  }

  public static String weightFileDigest(String sha256Hex) {
    return "sha256:" + sha256Hex;
  }

  /** A short, stable identifier: the first 16 hex digits of the SHA-256 of the canonical JSON. */
  @JsonIgnore
  public String id() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(toJson().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** One line for messages: what differs between two fingerprints should be visible in it. */
  @JsonIgnore
  public String describe() {
    String shortWeights =
        weights.startsWith("sha256:") && weights.length() > 19
            ? weights.substring(0, 19) + "…"
            : weights;
    return String.format(
        "%s cut at %s (%d-d), weights %s, %dpx %s, %s scaling",
        model, cutLayer, dimension, shortWeights, inputSize, resize, scaling);
  }

  public String toJson() {
    return Json.write(this);
  }

  public static BackboneFingerprint fromJson(String json) {
    return Json.read(json, BackboneFingerprint.class, "backbone fingerprint");
  }
}
