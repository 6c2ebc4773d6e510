package dev.tltf.common.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of every job flag, read from {@code tltf.properties}: the copy bundled in the jar
 * (built from {@code conf/tltf.properties}), overlaid by {@code $TLTF_CONF_DIR/tltf.properties}
 * when that directory is set (the bin/ launchers set it to the project's {@code conf/}). Keys are
 * {@code <command>.<flag without dashes>}, e.g. {@code extract-features.batch-size}. A flag given
 * on the command line always wins. In values, {@code ${conf.dir}} stands for the configuration
 * directory ({@code conf} relative to the working directory when none is set). A flag declared in a
 * mixin marked {@link ConfSection} falls back to {@code <section>.<flag>}: the one default of a
 * flag that several commands share.
 */
public final class ConfDefaults implements IDefaultValueProvider {
  public static final String FILE_NAME = "tltf.properties";
  public static final String CONF_DIR_ENV = "TLTF_CONF_DIR";
  private static final String BUNDLED = "/dev/tltf/common/" + FILE_NAME;

  private final Properties properties;
  private final Path confDir;

  ConfDefaults(Properties properties, Path confDir) {
    this.properties = properties;
    this.confDir = confDir;
  }

  /** The bundled defaults overlaid by the file in {@code $TLTF_CONF_DIR}, if any. */
  public static ConfDefaults load() {
    String dir = System.getenv(CONF_DIR_ENV);
    return load(dir == null || dir.isBlank() ? null : Path.of(dir));
  }

  public static ConfDefaults load(Path confDir) {
    Properties properties = new Properties();
    try (InputStream in = ConfDefaults.class.getResourceAsStream(BUNDLED)) {
      if (in != null) {
        properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      }
      if (confDir != null && Files.isRegularFile(confDir.resolve(FILE_NAME))) {
        try (Reader reader =
            Files.newBufferedReader(confDir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
          properties.load(reader);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + FILE_NAME + ": " + e.getMessage(), e);
    }
    return new ConfDefaults(properties, confDir);
  }

  /** The configured value of {@code command.flag}, or null. */
  public String get(String command, String flag) {
    String value = properties.getProperty(command + "." + flag);
    if (value == null || value.isBlank()) {
      return null;
    }
    String dir = confDir == null ? "conf" : confDir.toAbsolutePath().toString();
    return value.trim().replace("${conf.dir}", dir);
  }

  /** The configuration directory, used to resolve relative paths in defaults; null when unset. */
  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || argSpec.command() == null) {
      return null;
    }
    String flag = option.longestName().replaceFirst("^-+", "");
    String value = get(argSpec.command().name(), flag);
    ConfSection section = section(argSpec.userObject());
    return value != null || section == null ? value : get(section.value(), flag);
  }

  /** The shared section of a flag declared in a mixin marked {@link ConfSection}, or null. */
  private static ConfSection section(Object declaration) {
    return declaration instanceof java.lang.reflect.Member member
        ? member.getDeclaringClass().getAnnotation(ConfSection.class)
        : null;
  }
}
