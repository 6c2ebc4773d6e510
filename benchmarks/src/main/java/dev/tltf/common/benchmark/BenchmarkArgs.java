package dev.tltf.common.benchmark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code --name value} flags of a benchmark step's {@code main}; bin/benchmark is the only
 * caller.
 */
public final class BenchmarkArgs {
  private final Map<String, String> values = new HashMap<>();

  private BenchmarkArgs() {}

  public static BenchmarkArgs parse(String[] args) {
    BenchmarkArgs parsed = new BenchmarkArgs();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException(
            "Invalid benchmark arguments "
                + Arrays.toString(args)
                + ": expected --name value pairs");
      }
      parsed.values.put(args[i].substring(2), args[i + 1]);
    }
    return parsed;
  }

  public String text(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("Missing benchmark argument --" + name);
    }
    return value;
  }

  public String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  public Path path(String name) {
    return Path.of(text(name));
  }

  public int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  public double number(String name, double fallback) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
  }

  public int[] integers(String name, String fallback) {
    return Arrays.stream(text(name, fallback).split(","))
        .mapToInt(s -> Integer.parseInt(s.trim()))
        .toArray();
  }
}
