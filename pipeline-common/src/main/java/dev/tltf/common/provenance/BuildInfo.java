package dev.tltf.common.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The versions of tltf and of the libraries it runs on. Library versions are read from the jars
 * actually loaded (their Maven {@code pom.properties}, which the job jars keep), falling back to
 * what tltf was built with, so a cluster that puts another Spark first on the classpath is recorded
 * as it is.
 */
record BuildInfo(String tltfVersion, Properties built) {
  private static final String BUILD_PROPERTIES = "/dev/tltf/common/build.properties";

  static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(BUILD_PROPERTIES)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + BUILD_PROPERTIES, e);
    }
    return new BuildInfo(properties.getProperty("tltf.version", "unknown"), properties);
  }

  SortedMap<String, String> runtimeVersions() {
    SortedMap<String, String> versions = new TreeMap<>();
    versions.put(
        "java",
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    versions.put(
        "spark", loaded("org.apache.spark", "spark-core_2.12", built.getProperty("spark.version")));
    versions.put(
        "dl4j",
        loaded("org.deeplearning4j", "deeplearning4j-nn", built.getProperty("dl4j.version")));
    versions.put("nd4j", loaded("org.nd4j", "nd4j-api", built.getProperty("dl4j.version")));
    return versions;
  }

  private static String loaded(String group, String artifact, String fallback) {
    String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null) {
          return version;
        }
      }
    } catch (IOException e) {
      // Unreadable metadata: fall back to the build's own record.
    }
    return fallback == null ? "unknown" : fallback;
  }
}
