package dev.tltf.features.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/fetch-weights without the internet: its failure path and its checksum logic, with the source
 * overridden (TLTF_WEIGHTS_URL / TLTF_WEIGHTS_MD5, as for a mirror). It must never leave a partial
 * or wrong file behind.
 */
class FetchWeightsScriptTest {
  private static final Path SCRIPT =
      Path.of(System.getProperty("user.dir")).getParent().resolve("bin/fetch-weights");

  @TempDir Path dir;

  record Result(int status, String output) {}

  private Result run(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(Stream.concat(Stream.of(SCRIPT.toString()), Stream.of(args)).toList())
            .redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES));
    return new Result(process.exitValue(), output);
  }

  private List<Path> filesIn(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  @Test
  void anUnreachableSourceFailsClearlyAndLeavesNothing() throws Exception {
    Path out = dir.resolve("weights/w.h5");
    Result result =
        run(Map.of("TLTF_WEIGHTS_URL", "http://127.0.0.1:9/w.h5"), "--out", out.toString());
    assertEquals(1, result.status());
    assertTrue(
        result.output().contains("fetch-weights: cannot download http://127.0.0.1:9/w.h5")
            && result.output().contains("copy it to " + out),
        result.output());
    assertEquals(List.of(), filesIn(out.getParent()));
  }

  @Test
  void aFileWithTheWrongChecksumIsDiscarded() throws Exception {
    Path source = Files.writeString(dir.resolve("mirror.h5"), "not the weights");
    Path out = dir.resolve("weights/w.h5");
    Result result =
        run(Map.of("TLTF_WEIGHTS_URL", source.toUri().toString()), "--out", out.toString());
    assertEquals(1, result.status());
    assertTrue(
        result.output().contains("expected bcbd6486424b2319ff4ef7d526e38f63; it was discarded."),
        result.output());
    assertEquals(List.of(), filesIn(out.getParent()));
  }

  @Test
  void aFileWithTheRightChecksumIsStoredOnce() throws Exception {
    Path source = Files.writeString(dir.resolve("mirror.h5"), "pretend weights");
    String md5 =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(source)));
    Path out = dir.resolve("weights/w.h5");
    Map<String, String> env =
        Map.of("TLTF_WEIGHTS_URL", source.toUri().toString(), "TLTF_WEIGHTS_MD5", md5);
    Result first = run(env, "--out", out.toString());
    assertEquals(0, first.status(), first.output());
    assertEquals("pretend weights", Files.readString(out));
    assertEquals(List.of(out), filesIn(out.getParent()));
    Result second = run(env, "--out", out.toString());
    assertTrue(second.output().contains("is already there"), second.output());
    Result bad = run(env, "--bogus");
    assertEquals(2, bad.status());
    assertEquals(
        "fetch-weights: unknown option '--bogus' (allowed: --out FILE.h5, --help)",
        bad.output().trim());
  }
}
