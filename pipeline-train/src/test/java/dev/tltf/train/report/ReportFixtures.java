package dev.tltf.train.report;

import dev.tltf.common.io.Json;
import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.common.thumbnail.Thumbnails;
import dev.tltf.train.eval.ClassificationReport;
import dev.tltf.train.eval.Evaluator.Miss;
import dev.tltf.train.labels.LabelPolicy;
import dev.tltf.train.model.HeadConfig;
import dev.tltf.train.model.HeadTrainer.EpochStats;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;

/**
 * A report's content with what makes pages hard to read: six classes, long and hostile labels, one
 * class the head mostly misses (squares: 1 of 10 right), random weights, and the --l2 auto trials
 * of a metrics.json.
 */
final class ReportFixtures {
  static final List<String> CLASSES =
      List.of(
          "circles",
          "squares",
          "a much longer class name, with a comma",
          "<img src=x onerror=alert(1)>",
          "triangles",
          "stripes");

  private ReportFixtures() {}

  static BackboneFingerprint fingerprint(String weights) {
    return new BackboneFingerprint("InceptionV3", "avg_pool", 2048, weights, 299, "bilinear", "tf");
  }

  /**
   * The one misclassified image of {@link #content} whose original exists under {@link #images}.
   */
  static final String PRESENT_MISS = "squares/squares_003.png";

  /**
   * An images root under {@code dir} holding {@link #PRESENT_MISS} (a 200 × 100 picture, left half
   * red, right half blue) and not the other misclassified image, and thumbnails read from it.
   */
  static Thumbnails images(Path dir) throws IOException {
    BufferedImage picture = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = picture.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 100, 100);
    g.setColor(Color.BLUE);
    g.fillRect(100, 0, 100, 100);
    g.dispose();
    Path file = dir.resolve(PRESENT_MISS);
    Files.createDirectories(file.getParent());
    ImageIO.write(picture, "png", file.toFile());
    return new Thumbnails(dir.toUri().toString(), new Configuration());
  }

  static Map<String, Object> metricsWithL2Path() {
    try (InputStream in = ReportFixtures.class.getResourceAsStream("metrics-with-l2-path.json")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> metrics =
          Json.read(
              new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.class, "metrics.json");
      return metrics;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HeadReport.Content content(String weights, Map<String, Object> metrics) {
    long[][] confusion = {
      {38, 0, 1, 0, 1, 0},
      {8, 1, 0, 1, 0, 0},
      {0, 0, 19, 1, 0, 0},
      {0, 0, 1, 14, 0, 0},
      {1, 0, 0, 0, 27, 2},
      {0, 0, 0, 0, 1, 24}
    };
    ClassificationReport test = ClassificationReport.of(CLASSES, confusion, 3, 136);
    List<EpochStats> history = new ArrayList<>();
    for (int e = 1; e <= 25; e++) {
      double train = 1.6 * Math.exp(-e / 6.0) + 0.15;
      double validation = 1.6 * Math.exp(-e / 7.0) + 0.3 + (e > 18 ? 0.01 * (e - 18) : 0);
      history.add(new EpochStats(e, train, 1 - train / 2.2, validation, 1 - validation / 2.0));
    }
    Map<String, Object> settings =
        new LinkedHashMap<>(HeadConfig.softmax(100, 0.001, 64, 0.001, 7, 10).asMap());
    settings.put("features", "/data/demo-output/features");
    settings.put("featureRuns", List.of("20261203-091500-1a2b", "20261203-094000-3c4d"));
    settings.put("labels", "dirs");
    settings.put("trainPercent", 80);
    settings.put("validationPercent", 10);
    settings.put("distributed", false);
    settings.put(
        "labelPolicy",
        new LabelPolicy(
            LabelPolicy.Action.DROP,
            LabelPolicy.Action.FAIL,
            LabelPolicy.Action.DROP,
            LabelPolicy.Action.FAIL,
            5));
    long[][] counts = {
      {160, 40, 80, 60, 120, 100}, {20, 5, 10, 8, 15, 12}, {40, 10, 20, 15, 30, 25}
    };
    List<Miss> misses =
        List.of(
            new Miss(PRESENT_MISS, "squares", "circles", 0.91),
            new Miss(
                "with, comma/\"quoted\" 1.jpg", "<img src=x onerror=alert(1)>", "circles", 0.55));
    return new HeadReport.Content(
        "head",
        settings,
        CLASSES,
        counts,
        history,
        18,
        test,
        misses,
        List.of("2 label rows name no image in the feature store and were left out."),
        fingerprint(weights),
        metrics);
  }
}
