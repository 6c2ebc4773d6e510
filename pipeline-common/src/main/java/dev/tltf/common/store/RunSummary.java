package dev.tltf.common.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tltf.common.io.Json;

/**
 * What one feature run did; saved as its commit marker {@code _tltf/runs/<run>.json} and printed at the end.
 * {@code listed = alreadyStored + featureRows + errorRows} always holds; {@code computed} counts forward passes
 * (vectors the network produced in this run), so an unchanged re-run computes 0.
 */
public record RunSummary(
    @JsonProperty("runId") String runId,
    @JsonProperty("images") String images,
    @JsonProperty("startedAt") String startedAt,
    @JsonProperty("finishedAt") String finishedAt,
    @JsonProperty("listed") long listed,
    @JsonProperty("alreadyStored") long alreadyStored,
    @JsonProperty("computed") long computed,
    @JsonProperty("featureRows") long featureRows,
    @JsonProperty("errorRows") long errorRows,
    @JsonProperty("elapsedSeconds") double elapsedSeconds,
    @JsonProperty("imagesPerSecond") double imagesPerSecond) {

  public String toJson() {
    return Json.write(this);
  }

  public static RunSummary fromJson(String json) {
    return Json.read(json, RunSummary.class, "run summary");
  }
}
