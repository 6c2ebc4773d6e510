package dev.tltf.common.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where an output came from, recorded in every head directory and run marker so that it can be
 * trusted (or reproduced) a year later: the tltf and library versions that ran, the host's CPU and
 * the instruction sets the native engines could use, and the job's settings split into those given
 * on the command line and those taken from the defaults (MLlib's {@code explainParams}, Tribuo's
 * provenance). {@code inputs} holds digests of side inputs such as a labels CSV ({@code
 * labels.sha256}).
 */
public record Provenance(
    @JsonProperty("tltfVersion") String tltfVersion,
    @JsonProperty("versions") SortedMap<String, String> versions,
    @JsonProperty("cpu") String cpu,
    @JsonProperty("cpuFlags") String cpuFlags,
    @JsonProperty("host") String host,
    @JsonProperty("given") SortedMap<String, String> given,
    @JsonProperty("defaulted") SortedMap<String, String> defaulted,
    @JsonProperty("inputs") SortedMap<String, String> inputs) {

  public Provenance {
    versions = copy(versions);
    given = copy(given);
    defaulted = copy(defaulted);
    inputs = copy(inputs);
  }

  /**
   * This JVM's versions and host, with the running command's settings ({@link CommandSettings}).
   */
  public static Provenance current() {
    return current(CommandSettings.current());
  }

  /** This JVM's versions and host, with the settings of {@code settings} and no side inputs yet. */
  public static Provenance current(Settings settings) {
    BuildInfo build = BuildInfo.load();
    return new Provenance(
        build.tltfVersion(),
        build.runtimeVersions(),
        HostInfo.cpuModel(),
        HostInfo.simdFlags(),
        HostInfo.hostName(),
        settings.given(),
        settings.defaulted(),
        new TreeMap<>());
  }

  /** A copy with one more side-input digest, e.g. {@code withInput("labels.sha256", hex)}. */
  public Provenance withInput(String name, String value) {
    SortedMap<String, String> more = new TreeMap<>(inputs);
    more.put(name, value);
    return new Provenance(tltfVersion, versions, cpu, cpuFlags, host, given, defaulted, more);
  }

  private static SortedMap<String, String> copy(Map<String, String> map) {
    return map == null ? new TreeMap<>() : new TreeMap<>(map);
  }
}
