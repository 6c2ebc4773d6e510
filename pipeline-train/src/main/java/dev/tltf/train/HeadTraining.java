package dev.tltf.train;

import dev.tltf.common.cli.InvalidInputException;
import dev.tltf.common.data.Split;
import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.io.Json;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.train.data.LabeledSplits;
import dev.tltf.train.eval.ClassificationReport;
import dev.tltf.train.eval.Evaluator;
import dev.tltf.train.model.HeadConfig;
import dev.tltf.train.model.HeadTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One head-training run: read the labelled vectors once, train, evaluate on the test split and write the head
 * directory with its metrics. Every input problem is found before training starts.
 */
public final class HeadTraining {
  private static final Logger LOG = LoggerFactory.getLogger(HeadTraining.class);

  private final SparkSession spark;
  private final String features;
  private final String out;
  private final HeadConfig config;
  private final Split split;
  private final int topK;
  private final boolean overwrite;

  public HeadTraining(SparkSession spark, String features, String out, HeadConfig config, Split split, int topK,
      boolean overwrite) {
    this.spark = spark;
    this.features = features;
    this.out = out;
    this.config = config;
    this.split = split;
    this.topK = topK;
    this.overwrite = overwrite;
  }

  /** What was trained and how well, for the console. */
  public record Summary(String out, List<String> labels, long[][] counts, int bestEpoch, ClassificationReport test) {
    public String describe() {
      StringBuilder text = new StringBuilder();
      text.append(String.format(Locale.ROOT, "train-head: %d classes, %d train / %d validation / %d test images, "
          + "best epoch %d%n", labels.size(), sum(counts[0]), sum(counts[1]), sum(counts[2]), bestEpoch));
      if (test.examples() == 0) {
        text.append("test split is empty: no test accuracy (add images or raise --validation-percent / lower "
            + "--train-percent)\n");
      } else {
        text.append(String.format(Locale.ROOT, "test accuracy %.3f, top-%d accuracy %.3f on %d images%n",
            test.accuracy(), test.topK(), test.topKAccuracy(), test.examples()));
        text.append(String.format(Locale.ROOT, "%-24s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1",
            "support"));
        for (ClassificationReport.ClassMetrics c : test.perClass()) {
          text.append(String.format(Locale.ROOT, "%-24s %9.3f %9.3f %9.3f %8d%n", c.label(), c.precision(),
              c.recall(), c.f1(), c.support()));
        }
      }
      text.append("head written to ").append(out).append('\n');
      return text.toString();
    }

    private static long sum(long[] values) {
      long total = 0;
      for (long v : values) {
        total += v;
      }
      return total;
    }
  }

  public Summary run() throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FeatureStore store = FeatureStore.open(spark, features);
    InvalidInputException.check(overwrite || !HadoopPaths.qualify(out, conf).getFileSystem(conf)
            .exists(HadoopPaths.qualify(out, conf)),
        "Cannot write head to %s: it already exists; pass --overwrite to replace it.", out);
    try (LabeledSplits data = LabeledSplits.fromFolders(store, split)) {
      if (data.unlabeled() > 0) {
        LOG.warn("{} feature rows have no label (files at the root of --images, not in a class folder); "
            + "they are left out", data.unlabeled());
      }
      List<String> labels = data.labels();
      InvalidInputException.check(labels.size() >= 2,
          "Cannot train on %s: a head needs at least 2 classes, found %d %s.", features, labels.size(), labels);
      InvalidInputException.check(data.part(Split.Part.TRAIN).size() > 0,
          "Cannot train on %s: the training split is empty.", features);
      long[][] counts = data.counts();
      LOG.info("Training a {}-class head on {} vectors ({} validation)", labels.size(),
          data.part(Split.Part.TRAIN).size(), data.part(Split.Part.VALIDATION).size());

      HeadTrainer.Result result = new HeadTrainer(config)
          .train(data.part(Split.Part.TRAIN), data.part(Split.Part.VALIDATION), labels.size());
      Head head = new Head(result.network(), labels, store.fingerprint());
      Evaluator.Outcome test = Evaluator.evaluate(head, data.part(Split.Part.TEST), Math.min(topK, labels.size()));

      Map<String, Object> training = new LinkedHashMap<>(config.asMap());
      training.put("features", store.location());
      training.put("featureRuns", store.committedRuns());
      training.put("labels", "dirs");
      training.put("trainPercent", split.trainPercent());
      training.put("validationPercent", split.validationPercent());

      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("labels", labels);
      metrics.put("counts", countsByPart(labels, counts));
      metrics.put("bestEpoch", result.bestEpoch());
      metrics.put("history", result.history());
      metrics.put("test", test.report());
      HeadDirectory.write(out, head, training,
          Map.of("metrics.json", Json.write(metrics).getBytes(StandardCharsets.UTF_8)), overwrite, conf);
      return new Summary(out, labels, counts, result.bestEpoch(), test.report());
    }
  }

  private static Map<String, Map<String, Long>> countsByPart(List<String> labels, long[][] counts) {
    Map<String, Map<String, Long>> byPart = new LinkedHashMap<>();
    for (Split.Part part : Split.Part.values()) {
      Map<String, Long> perClass = new LinkedHashMap<>();
      for (int c = 0; c < labels.size(); c++) {
        perClass.put(labels.get(c), counts[part.ordinal()][c]);
      }
      byPart.put(part.code(), perClass);
    }
    return byPart;
  }
}
