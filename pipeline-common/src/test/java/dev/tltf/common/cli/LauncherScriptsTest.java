package dev.tltf.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bin/ scripts that need no built jar: help pages and the build step's output outside a
 * terminal.
 */
class LauncherScriptsTest {
  private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();

  record Result(int status, String output) {}

  /**
   * Runs {@code command} in bash at the project root, stdout and stderr captured together (no
   * terminal).
   */
  private static Result bash(String command) throws Exception {
    Process process =
        new ProcessBuilder("bash", "-c", command)
            .directory(PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(3, TimeUnit.MINUTES));
    return new Result(process.exitValue(), output);
  }

  @Test
  void theBuildStepWritesNoEscapeCodesIntoCapturedOutput() throws Exception {
    // The launcher's Maven call, not quiet here so that it prints something: Maven 3.8 writes
    // ESC[0m even with -B.
    Result build = bash("source bin/_launcher.sh && tltf_maven -N validate");
    assertEquals(0, build.status(), build.output());
    assertTrue(build.output().contains("[INFO] Scanning for projects..."), build.output());
    assertFalse(
        build.output().contains("\u001b"),
        "escape codes in: " + build.output().replace("\u001b", "ESC"));
  }

  @Test
  void benchmarkHelpIsARealPage() throws Exception {
    Result help = bash("bin/benchmark --help");
    assertEquals(0, help.status(), help.output());
    for (String expected :
        List.of(
            "Usage: bin/benchmark [--quick | --help]",
            "about 45 minutes",
            "about 12 minutes",
            "docs/BENCHMARKS.md",
            "target/benchmark/BENCHMARKS-quick.md",
            "mvn -DskipTests install")) {
      assertTrue(help.output().contains(expected), expected + " in:\n" + help.output());
    }
    Result bad = bash("bin/benchmark --fast");
    assertEquals(2, bad.status());
    assertEquals(
        "benchmark: unknown option '--fast' (allowed: --quick, --help)", bad.output().trim());
  }

  @Test
  void demoHelpSaysWhatItWrites() throws Exception {
    Result help = bash("bin/demo --help");
    assertEquals(0, help.status(), help.output());
    assertTrue(help.output().startsWith("Usage: bin/demo [OUTPUT_DIR]"), help.output());
    assertTrue(help.output().contains("predictions.csv"), help.output());
  }
}
