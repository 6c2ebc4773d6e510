package dev.tltf.common.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tltf.common.io.Json;

/**
 * {@code _tltf/store.json}: what kind of store this is and which backbone every vector in it came
 * from.
 */
public record StoreManifest(
    @JsonProperty("format") String format,
    @JsonProperty("formatVersion") int formatVersion,
    @JsonProperty("fingerprint") BackboneFingerprint fingerprint,
    @JsonProperty("createdAt") String createdAt) {

  public static final String FORMAT = "tltf-feature-store";
  public static final int FORMAT_VERSION = 1;

  public String toJson() {
    return Json.write(this);
  }

  public static StoreManifest fromJson(String json) {
    return Json.read(json, StoreManifest.class, "feature store manifest");
  }
}
