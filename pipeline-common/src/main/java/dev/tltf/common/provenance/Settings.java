package dev.tltf.common.provenance;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A job's resolved settings, split into the flags given on the command line and those that took
 * their value from the defaults (conf/ or the built-in ones), keyed by flag name without dashes.
 * Help-only flags are left out.
 */
public record Settings(SortedMap<String, String> given, SortedMap<String, String> defaulted) {
  public Settings {
    given = new TreeMap<>(given);
    defaulted = new TreeMap<>(defaulted);
  }

  /**
   * The settings of the command {@code spec} after parsing (inject it with picocli's
   * {@code @Spec}).
   */
  public static Settings of(CommandSpec spec) {
    ParseResult parsed = spec.commandLine() == null ? null : spec.commandLine().getParseResult();
    SortedMap<String, String> given = new TreeMap<>();
    SortedMap<String, String> defaulted = new TreeMap<>();
    for (OptionSpec option : spec.options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      String name = option.longestName().replaceFirst("^-+", "");
      String value = render(option.getValue());
      boolean wasGiven = parsed != null && parsed.hasMatchedOption(option);
      (wasGiven ? given : defaulted).put(name, value);
    }
    return new Settings(given, defaulted);
  }

  /** Settings built from plain maps (tests, and jobs that are not picocli commands). */
  public static Settings of(Map<String, String> given, Map<String, String> defaulted) {
    return new Settings(new TreeMap<>(given), new TreeMap<>(defaulted));
  }

  private static String render(Object value) {
    if (value instanceof Object[] array) {
      return String.join(",", java.util.Arrays.stream(array).map(String::valueOf).toList());
    }
    return Objects.toString(value, "");
  }
}
