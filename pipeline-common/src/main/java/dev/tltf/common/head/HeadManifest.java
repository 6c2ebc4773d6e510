package dev.tltf.common.head;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tltf.common.io.Json;
import dev.tltf.common.store.BackboneFingerprint;
import java.util.List;
import java.util.Map;

/**
 * {@code head.json}: what a head directory holds and where it came from: the backbone its vectors
 * must come from, its labels in output order, and the resolved training settings (provenance).
 */
public record HeadManifest(
    @JsonProperty("format") String format,
    @JsonProperty("formatVersion") int formatVersion,
    @JsonProperty("fingerprint") BackboneFingerprint fingerprint,
    @JsonProperty("labels") List<String> labels,
    @JsonProperty("training") Map<String, Object> training,
    @JsonProperty("createdAt") String createdAt) {

  public static final String FORMAT = "tltf-head";
  public static final int FORMAT_VERSION = 1;

  public String toJson() {
    return Json.write(this);
  }

  public static HeadManifest fromJson(String json) {
    return Json.read(json, HeadManifest.class, "head.json");
  }
}
