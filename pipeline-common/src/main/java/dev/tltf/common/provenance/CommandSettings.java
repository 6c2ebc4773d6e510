package dev.tltf.common.provenance;

/**
 * The settings of the command this JVM is running, recorded once by {@code JobMain} right after
 * parsing, so that whatever a job writes (run markers, head directories) can carry them without
 * threading them through every request. A JVM runs one job command at a time (each bin/ launcher
 * and spark-submit starts one); outside a command (tests calling a job directly) the settings are
 * empty.
 */
public final class CommandSettings {
  private static volatile Settings current = Settings.of(java.util.Map.of(), java.util.Map.of());

  private CommandSettings() {}

  public static void record(Settings settings) {
    current = settings;
  }

  public static Settings current() {
    return current;
  }
}
