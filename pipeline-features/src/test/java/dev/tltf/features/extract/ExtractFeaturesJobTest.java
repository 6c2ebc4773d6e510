package dev.tltf.features.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import dev.tltf.common.io.Json;
import dev.tltf.common.io.Sha256;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.demo.SyntheticImages;
import dev.tltf.features.image.ImageDecoder;
import dev.tltf.features.image.ResizeMethod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The feature job through its entry point, on small images (75 px input: the pipeline, not the
 * network, is tested).
 */
class ExtractFeaturesJobTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir static Path dir;
  static Path images;

  @BeforeAll
  static void writeImages() throws Exception {
    images = dir.resolve("images");
    SyntheticImages.write(images, 3, 5, 40, 90);
    // The same bytes under a second path, a text file named .jpg, and files that must not be
    // listed.
    Files.copy(
        images.resolve("circles/circles_000.jpg"), images.resolve("squares/copy_of_circle.jpg"));
    Files.writeString(images.resolve("stripes/notes.jpg"), "<html>not an image</html>");
    Files.writeString(images.resolve("stripes/.hidden.jpg"), "x");
    Files.writeString(images.resolve("README.txt"), "x");
    Files.createDirectories(images.resolve("_tmp"));
    Files.writeString(images.resolve("_tmp/partial.jpg"), "x");
  }

  static Result run(String... args) {
    StringWriter err = new StringWriter();
    int status =
        JobMain.run(
            new ExtractFeaturesCommand(),
            ConfDefaults.load(null),
            new PrintWriter(err, true),
            args);
    return new Result(status, err.toString());
  }

  record Result(int status, String err) {}

  private static String[] flags(String out, String... extra) {
    return Stream.concat(
            Stream.of("--images", images.toString(), "--out", out, "--random-weights", "3"),
            Arrays.stream(extra.length == 0 ? new String[] {"--image-size", "75"} : extra))
        .toArray(String[]::new);
  }

  private static RunSummary lastRun(String store) throws Exception {
    try (Stream<Path> markers = Files.list(Path.of(store, "_tltf/runs"))) {
      Path last =
          markers
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .sorted()
              .reduce((a, b) -> b)
              .orElseThrow();
      return Json.read(Files.readString(last), RunSummary.class, "run");
    }
  }

  @Test
  void everyInputBecomesOneRowAndDuplicatesAreComputedOnce() throws Exception {
    String store = dir.resolve("store").toString();
    Result first = run(flags(store, "--image-size", "75", "--batch-size", "4"));
    assertEquals(0, first.status(), first.err());

    RunSummary summary = lastRun(store);
    assertEquals(
        14,
        summary.listed(),
        "12 images + the copy + the text file; hidden and side files are skipped");
    assertEquals(12, summary.computed(), "the copy's bytes are computed once");
    assertEquals(13, summary.featureRows());
    assertEquals(1, summary.errorRows());
    assertEquals(
        summary.listed(), summary.alreadyStored() + summary.featureRows() + summary.errorRows());

    // Plain Spark SQL reads the store without our code, with the documented columns.
    Dataset<Row> plain = SPARK.read().parquet(store + "/features");
    assertTrue(
        Arrays.asList(plain.columns())
            .containsAll(
                List.of("image_id", "path", "features", "width", "height", "backbone", "run")),
        Arrays.toString(plain.columns()));
    Row copy = plain.filter("path = 'squares/copy_of_circle.jpg'").first();
    Row original = plain.filter("path = 'circles/circles_000.jpg'").first();
    assertEquals(
        original.getString(original.fieldIndex("image_id")),
        copy.getString(copy.fieldIndex("image_id")));
    assertEquals(
        Sha256.hex(Files.readAllBytes(images.resolve("circles/circles_000.jpg"))),
        original.getString(original.fieldIndex("image_id")));
    assertEquals(2048, original.getList(original.fieldIndex("features")).size());

    Row error = SPARK.read().parquet(store + "/errors").first();
    assertEquals("stripes/notes.jpg", error.getString(error.fieldIndex("path")));
    assertEquals("unsupported_format", error.getString(error.fieldIndex("error_class")));

    // The stored vector is what the backbone gives for the decoded, resized image.
    BackboneSpec spec = new BackboneSpec(new WeightsSource.Random(3), 75, ResizeMethod.BILINEAR);
    float[] input =
        spec.preprocessor()
            .toInput(
                new ImageDecoder(1 << 30, 1L << 30, Duration.ofMinutes(1))
                    .decode(Files.readAllBytes(images.resolve("circles/circles_000.jpg"))));
    float[] expected = Backbones.get(spec, new Configuration()).features(input, 1)[0];
    List<Float> stored = original.getList(original.fieldIndex("features"));
    float[] actual = new float[stored.size()];
    for (int i = 0; i < actual.length; i++) {
      actual[i] = stored.get(i);
    }
    assertArrayEquals(expected, actual, 1e-4f);

    // An unchanged re-run runs the network zero times and writes nothing new.
    Result second = run(flags(store, "--image-size", "75"));
    assertEquals(0, second.status(), second.err());
    RunSummary again = lastRun(store);
    assertEquals(0, again.computed());
    assertEquals(
        14,
        again.alreadyStored(),
        "the text file's failure depends on its bytes only: not retried");
    assertEquals(0, again.featureRows());
    assertEquals(0, again.errorRows());
    assertEquals(13, FeatureStore.open(SPARK, store).features().count());
  }

  @Test
  void badFlagsEndBeforeAnyWorkWithOneSentence() {
    String out = dir.resolve("never").toString();
    Result batch = run(flags(out, "--batch-size", "0"));
    assertEquals(JobMain.EXIT_BAD_INPUT, batch.status());
    assertEquals(
        "extract-features: Invalid --batch-size: 0 (must be between 1 and 1024).",
        batch.err().trim());

    Result size = run(flags(out, "--image-size", "74"));
    assertEquals(
        "extract-features: Invalid --image-size: 74 (must be between 75 and 2048).",
        size.err().trim());

    Result unknown = run(flags(out, "--bogus"));
    assertEquals(JobMain.EXIT_BAD_INPUT, unknown.status());
    assertTrue(
        unknown.err().startsWith("extract-features: Unknown option: '--bogus'."), unknown.err());

    Result both = run(flags(out, "--weights", "w.h5"));
    assertEquals(
        "extract-features: Invalid flags: --weights and --random-weights exclude each other; give one.",
        both.err().trim());

    Result missing =
        run("--images", dir.resolve("nope").toString(), "--out", out, "--random-weights", "1");
    assertEquals(
        "extract-features: Cannot read --images " + dir.resolve("nope") + ": it does not exist.",
        missing.err().trim());

    Result noWeights = run("--images", images.toString(), "--out", out);
    assertTrue(
        noWeights
            .err()
            .contains(
                "No weight file at conf/weights/inception_v3_weights_tf_dim_ordering_tf_kernels"
                    + "_notop.h5 (the default in conf/tltf.properties): run bin/fetch-weights"),
        noWeights.err());
    assertTrue(Files.notExists(Path.of(out)), "nothing is written for bad input");
  }

  @Test
  void everyFlagHasItsDefaultInConf() {
    CommandLine cli = new CommandLine(new ExtractFeaturesCommand());
    ConfDefaults defaults = ConfDefaults.load(null);
    for (OptionSpec option : cli.getCommandSpec().options()) {
      String flag = option.longestName().replaceFirst("^-+", "");
      boolean needsDefault =
          !option.required()
              && option.arity().max() > 0
              && !List.of("help", "version", "random-weights").contains(flag);
      if (needsDefault) {
        assertTrue(
            defaults.defaultValue(option) != null, // its own key or its shared section's
            "conf/tltf.properties lacks extract-features." + flag);
      }
    }
  }
}
