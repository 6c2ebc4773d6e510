package dev.tltf.common.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tltf.common.io.Json;
import dev.tltf.common.provenance.Provenance;
import java.util.List;

/**
 * What one feature run did; saved as its commit marker {@code _tltf/runs/<run>.json} and printed at
 * the end. {@code listed = alreadyStored + featureRows + errorRows} always holds; {@code computed}
 * counts forward passes (vectors the network produced in this run), so an unchanged re-run computes
 * 0. A compaction lists the runs it replaces in {@code supersedes}. {@code costs} says where a
 * feature run's time went; it is null for compactions, recovered runs and runs written before it
 * existed. {@code provenance} records the versions, host and settings of the command that wrote
 * this marker (null in markers written before it existed): for a recovered run that is the writer
 * which found and committed the killed run's files, not the killed process, whose settings are not
 * kept.
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
    @JsonProperty("imagesPerSecond") double imagesPerSecond,
    @JsonProperty("supersedes") List<String> supersedes,
    @JsonProperty("costs") RunCosts costs,
    @JsonProperty("provenance") Provenance provenance) {

  public RunSummary {
    supersedes = supersedes == null ? List.of() : List.copyOf(supersedes);
  }

  /** A summary of a run that replaces no other (every run but a compaction). */
  public RunSummary(
      String runId,
      String images,
      String startedAt,
      String finishedAt,
      long listed,
      long alreadyStored,
      long computed,
      long featureRows,
      long errorRows,
      double elapsedSeconds,
      double imagesPerSecond) {
    this(
        runId,
        images,
        startedAt,
        finishedAt,
        listed,
        alreadyStored,
        computed,
        featureRows,
        errorRows,
        elapsedSeconds,
        imagesPerSecond,
        List.of());
  }

  /** A summary without costs (a compaction, a recovered run). */
  public RunSummary(
      String runId,
      String images,
      String startedAt,
      String finishedAt,
      long listed,
      long alreadyStored,
      long computed,
      long featureRows,
      long errorRows,
      double elapsedSeconds,
      double imagesPerSecond,
      List<String> supersedes) {
    this(
        runId,
        images,
        startedAt,
        finishedAt,
        listed,
        alreadyStored,
        computed,
        featureRows,
        errorRows,
        elapsedSeconds,
        imagesPerSecond,
        supersedes,
        null,
        Provenance.current());
  }

  public String toJson() {
    return Json.write(this);
  }

  public static RunSummary fromJson(String json) {
    return Json.read(json, RunSummary.class, "run summary");
  }
}
