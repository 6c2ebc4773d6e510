package dev.tltf.tfref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceArgumentsTest {
  @TempDir Path dir;

  @Test
  void parsesBothModesWithTheDefaultThreads() throws Exception {
    Path weights = Files.createFile(dir.resolve("w.h5"));
    ReferenceArguments tensor =
        ReferenceArguments.parse(
            new String[] {
              "tensor",
              "--weights",
              weights.toString(),
              "--input",
              "x.f32",
              "--count",
              "3",
              "--size",
              "299",
              "--out",
              "y.f32"
            });
    assertEquals(3, tensor.imageCount());
    assertEquals(ReferenceArguments.DEFAULT_THREADS, tensor.threads());

    ReferenceArguments images =
        ReferenceArguments.parse(
            new String[] {
              "images",
              "--weights",
              weights.toString(),
              "--size",
              "150",
              "--out",
              "y.f32",
              "--threads",
              "4",
              "a.jpg",
              "b.png"
            });
    assertEquals(List.of(Path.of("a.jpg"), Path.of("b.png")), images.images());
    assertEquals(4, images.threads());
    assertEquals(2, images.imageCount());

    ReferenceArguments benchmark =
        ReferenceArguments.parse(
            new String[] {
              "benchmark", "--weights", weights.toString(), "--size", "299", "--threads", "2"
            });
    assertEquals(ReferenceArguments.Mode.BENCHMARK, benchmark.mode());

    ReferenceArguments pixels =
        ReferenceArguments.parse(
            new String[] {"pixels", "--size", "75", "--out", "y.f32", "a.png"});
    assertEquals(ReferenceArguments.Mode.PIXELS, pixels.mode());
    assertEquals(List.of(Path.of("a.png")), pixels.images());
    assertEquals(2, benchmark.threads());
  }

  @Test
  void refusesBadArgumentsNamingThem() throws Exception {
    Path weights = Files.createFile(dir.resolve("w.h5"));
    assertEquals(
        "Invalid --size: 74 (must be ≥ 75).",
        message("images", "--weights", weights.toString(), "--size", "74", "--out", "y", "a.jpg"));
    assertEquals(
        "Missing --count (tensor mode).",
        message(
            "tensor",
            "--weights",
            weights.toString(),
            "--input",
            "x",
            "--size",
            "75",
            "--out",
            "y"));
    assertEquals(
        "Cannot read --weights " + dir.resolve("none.h5") + ": no such file.",
        message(
            "images",
            "--weights",
            dir.resolve("none.h5").toString(),
            "--size",
            "75",
            "--out",
            "y",
            "a.jpg"));
    assertEquals(
        "benchmark mode takes only --weights, --size and --threads.",
        message("benchmark", "--weights", weights.toString(), "--size", "299", "--out", "y"));
    assertEquals(
        "Invalid mode: features (must be tensor, images, pixels or benchmark).",
        message("features"));
    assertEquals(
        "pixels mode takes only --size, --out, --threads and image files.",
        message("pixels", "--weights", weights.toString(), "--size", "75", "--out", "y", "a.png"));
    assertEquals(
        "Missing image files (pixels mode).", message("pixels", "--size", "75", "--out", "y"));
  }

  private static String message(String... args) {
    return assertThrows(
            ReferenceArguments.UsageException.class, () -> ReferenceArguments.parse(args))
        .getMessage();
  }
}
