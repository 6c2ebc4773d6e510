package dev.tltf.train;

import dev.tltf.common.head.Head;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.io.Json;
import dev.tltf.common.io.Sha256;
import dev.tltf.common.provenance.Provenance;
import dev.tltf.common.split.Split;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.thumbnail.Thumbnails;
import dev.tltf.train.eval.ClassificationReport;
import dev.tltf.train.eval.Evaluator;
import dev.tltf.train.labels.CsvLabelSource;
import dev.tltf.train.labels.FolderLabelSource;
import dev.tltf.train.labels.LabelPolicy;
import dev.tltf.train.labels.LabelSource;
import dev.tltf.train.labels.Labeling;
import dev.tltf.train.model.FullBatchTrainer;
import dev.tltf.train.model.HeadConfig;
import dev.tltf.train.model.HeadTrainer;
import dev.tltf.train.model.HeadTrainer.LabeledRows;
import dev.tltf.train.model.SolverConfig;
import dev.tltf.train.model.Trainers;
import dev.tltf.train.report.HeadReport;
import dev.tltf.train.snapshot.StoreSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One train-head run: read the store's vectors once, apply each label source, train one head per
 * combination of label source × learning rate × L2 (a sweep when there is more than one), evaluate
 * each on the test split and write its head directory. Every input problem is found before the
 * first head trains. A single head is written at --out; a sweep writes one head per combination
 * under --out and {@code sweep.csv}, ranked by validation accuracy.
 */
public final class HeadTraining {
  private static final Logger LOG = LoggerFactory.getLogger(HeadTraining.class);

  /**
   * What a run was asked to do. An empty {@code l2s} means "auto": a full-batch head solves {@link
   * FullBatchTrainer#L2_PATH} and keeps the value with the best validation accuracy (ties: the
   * stronger); a mini-batch head tries {@link #L2_GRID} and keeps the best validation accuracy
   * (then the lower validation loss).
   */
  public record Request(
      String features,
      String out,
      List<String> labels,
      HeadConfig config,
      List<Double> learningRates,
      List<Double> l2s,
      Split split,
      LabelPolicy policy,
      int topK,
      boolean overwrite,
      boolean distributed,
      SolverConfig solver) {
    boolean autoL2() {
      return l2s.isEmpty();
    }
  }

  /** The L2 values "auto" chooses from for mini-batch (sgd) heads. */
  public static final List<Double> L2_GRID = List.of(1e-4, 1e-3, 1e-2, 1e-1);

  /** One trained head: where it went, its settings, and how it did. */
  public record Outcome(
      String name,
      String location,
      String labels,
      HeadConfig config,
      List<String> classes,
      long[][] counts,
      int bestEpoch,
      double validationAccuracy,
      ClassificationReport test,
      SolverConfig.Solver solver,
      int l2Trials) {}

  private final SparkSession spark;
  private final Request request;
  private dev.tltf.train.labels.Exclusions exclusions = dev.tltf.train.labels.Exclusions.NONE;

  public HeadTraining(SparkSession spark, Request request) {
    this.spark = spark;
    this.request = request;
  }

  /** Leaves the images named by {@code exclusions} out of every split (train-head --exclude). */
  public HeadTraining excluding(dev.tltf.train.labels.Exclusions exclusions) {
    this.exclusions = exclusions;
    return this;
  }

  private boolean sweepRequested() {
    return request.labels().size()
            * request.learningRates().size()
            * Math.max(1, request.l2s().size())
        > 1;
  }

  public List<Outcome> run() throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FeatureStore store = FeatureStore.open(spark, request.features());
    HadoopPaths.checkCanCreate(
        sweepRequested() ? "a sweep of heads" : "a head",
        request.out(),
        request.overwrite(),
        (fs, path) ->
            HeadDirectory.isHead(fs, path) || HadoopPaths.isFile(fs, new Path(path, "sweep.csv")),
        conf);
    List<LabelSource> sources = new ArrayList<>();
    for (String labels : request.labels()) {
      sources.add(
          FolderLabelSource.NAME.equals(labels)
              ? new FolderLabelSource()
              : CsvLabelSource.read(spark, labels));
    }
    List<Double> l2s = request.autoL2() ? List.of(Double.NaN) : request.l2s();
    boolean sweep = request.labels().size() * request.learningRates().size() * l2s.size() > 1;
    try (StoreSnapshot snapshot = StoreSnapshot.read(store, request.split(), exclusions)) {
      List<Labeling> labelings = new ArrayList<>();
      for (LabelSource source : sources) {
        Labeling labeling = Labeling.apply(snapshot, source, request.policy());
        labeling.warnings().forEach(w -> LOG.warn("{}", w));
        labelings.add(labeling);
      }
      Path target = HadoopPaths.qualify(request.out(), conf);
      Path root = sweep ? HadoopPaths.temporarySibling(target) : target;
      List<Outcome> outcomes = new ArrayList<>();
      for (int s = 0; s < sources.size(); s++) {
        for (double learningRate : request.learningRates()) {
          for (double l2 : l2s) {
            HeadConfig config =
                request
                    .config()
                    .withLearningRate(learningRate)
                    .withL2(Double.isNaN(l2) ? request.config().l2() : l2);
            String name =
                sweep ? name(request.labels().get(s), learningRate, l2) : target.getName();
            String location = sweep ? new Path(root, name).toString() : request.out();
            outcomes.add(
                trainOne(
                    snapshot,
                    labelings.get(s),
                    request.labels().get(s),
                    sources.get(s),
                    config,
                    name,
                    location,
                    conf));
          }
        }
      }
      if (sweep) {
        writeSweepTable(root, outcomes, conf);
        HadoopPaths.moveIntoPlace(HadoopPaths.fileSystem(target, conf), root, target);
      }
      return outcomes;
    }
  }

  private Outcome trainOne(
      StoreSnapshot snapshot,
      Labeling labeling,
      String labelsName,
      LabelSource source,
      HeadConfig config,
      String name,
      String location,
      Configuration conf)
      throws IOException {
    List<String> classes = labeling.classes();
    LabeledRows train =
        LabeledRows.of(snapshot.part(Split.Part.TRAIN), labeling.labels(Split.Part.TRAIN));
    LabeledRows validation =
        LabeledRows.of(
            snapshot.part(Split.Part.VALIDATION), labeling.labels(Split.Part.VALIDATION));
    LabeledRows test =
        LabeledRows.of(snapshot.part(Split.Part.TEST), labeling.labels(Split.Part.TEST));
    dev.tltf.common.error.InvalidInputException.check(
        train.size() > 0,
        "Cannot train on %s: no labelled image falls in the training split.",
        request.features());
    LOG.info(
        "Training head {}: {} classes, {} train / {} validation / {} test images",
        name,
        classes.size(),
        train.size(),
        validation.size(),
        test.size());
    SolverConfig.Solver solver = request.solver().resolve(config);
    List<Map<String, Object>> l2Path = new ArrayList<>();
    HeadTrainer.Result result = null;
    if (solver == SolverConfig.Solver.LBFGS) {
      FullBatchTrainer.Outcome outcome =
          fullBatch(snapshot, config).train(train, validation, classes.size(), request.autoL2());
      result = outcome.result();
      config = config.withL2(outcome.l2());
      outcome.path().forEach(trial -> l2Path.add(trial.asMetrics()));
    } else if (request.autoL2() && validation.size() > 0) {
      for (double l2 : L2_GRID) {
        HeadTrainer.Result candidate =
            fit(snapshot, config.withL2(l2), train, validation, classes.size());
        HeadTrainer.EpochStats kept = candidate.history().get(candidate.bestEpoch() - 1);
        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("l2", l2);
        trial.put("validation_accuracy", kept.validationAccuracy());
        trial.put("validation_loss", kept.validationLoss());
        trial.put("iterations", candidate.history().size()); // epochs run
        trial.put("chosen", false);
        l2Path.add(trial);
        if (result == null || better(kept, result.history().get(result.bestEpoch() - 1))) {
          result = candidate;
          config = config.withL2(l2);
        }
      }
      double chosen = config.l2();
      l2Path.forEach(trial -> trial.put("chosen", (double) trial.get("l2") == chosen));
      LOG.info("L2 chosen on the validation split: {}", config.l2());
    } else {
      if (request.autoL2()) {
        LOG.warn("The validation split is empty, so L2 cannot be tuned; using {}", config.l2());
      }
      result = fit(snapshot, config, train, validation, classes.size());
    }
    Head head = new Head(result.network(), classes, snapshot.store().fingerprint());
    Evaluator.Outcome evaluation =
        Evaluator.evaluate(head, test, Math.min(request.topK(), classes.size()));

    Map<String, Object> training = new LinkedHashMap<>(config.asMap());
    training.put("features", snapshot.store().location());
    training.put("featureRuns", snapshot.store().committedRuns());
    training.put("labels", labelsName);
    training.put("labelSource", source.describe());
    training.put("trainPercent", request.split().trainPercent());
    training.put("validationPercent", request.split().validationPercent());
    training.put("distributed", request.distributed());
    training.putAll(request.solver().asMap(config));
    training.put("labelPolicy", request.policy());
    training.put("provenance", provenance(labelsName));

    long[][] counts = labeling.counts();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("labels", classes);
    metrics.put("counts", countsByPart(classes, counts));
    metrics.put("leftOut", labeling.report());
    if (!exclusions.isEmpty()) {
      metrics.put("excluded", exclusions.report());
    }
    metrics.put("solver", solver.name().toLowerCase(Locale.ROOT));
    metrics.put("l2", config.l2());
    if (!l2Path.isEmpty()) {
      metrics.put("l2_path", l2Path);
    }
    metrics.put("bestEpoch", result.bestEpoch());
    metrics.put("validationAccuracy", result.bestValidationAccuracy());
    metrics.put("history", result.history());
    metrics.put("test", evaluation.report());
    metrics.put("misclassified", evaluation.misses().size());
    HeadReport.Content report =
        new HeadReport.Content(
            name,
            training,
            classes,
            counts,
            result.history(),
            result.bestEpoch(),
            evaluation.report(),
            evaluation.misses(),
            labeling.warnings(),
            snapshot.store().fingerprint(),
            metrics);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("metrics.json", Json.write(metrics).getBytes(StandardCharsets.UTF_8));
    files.put("misclassified.csv", HeadReport.misclassifiedCsv(evaluation.misses()));
    files.put("report.html", HeadReport.html(report, thumbnails(snapshot, conf)));
    HeadDirectory.write(location, head, training, files, request.overwrite(), conf);
    return new Outcome(
        name,
        location,
        labelsName,
        config,
        classes,
        counts,
        result.bestEpoch(),
        result.bestValidationAccuracy(),
        evaluation.report(),
        solver,
        l2Path.size());
  }

  private HeadTrainer.Result fit(
      StoreSnapshot snapshot,
      HeadConfig config,
      LabeledRows train,
      LabeledRows validation,
      int classes) {
    String name = String.format(Locale.ROOT, "l2=%s lr=%s", config.l2(), config.learningRate());
    return trainers(snapshot)
        .epochs(config, name, request.solver().verbose())
        .train(train, validation, classes);
  }

  /** The full-batch trainer. */
  private FullBatchTrainer fullBatch(StoreSnapshot snapshot, HeadConfig config) {
    return trainers(snapshot).fullBatch(config, request.solver());
  }

  /** Where heads are trained: the one place --distributed decides. */
  private Trainers trainers(StoreSnapshot snapshot) {
    return request.distributed()
        ? Trainers.distributed(spark, snapshot.store())
        : Trainers.onDriver();
  }

  /** Higher validation accuracy wins; equal accuracy, lower validation loss. */
  private static boolean better(
      HeadTrainer.EpochStats candidate, HeadTrainer.EpochStats incumbent) {
    if (candidate.validationAccuracy() != incumbent.validationAccuracy()) {
      return candidate.validationAccuracy() > incumbent.validationAccuracy();
    }
    return candidate.validationLoss() < incumbent.validationLoss();
  }

  static String name(String labels, double learningRate, double l2) {
    String stem =
        labels.replaceAll(".*/", "").replaceAll("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_.-]", "_");
    return String.format(
        Locale.ROOT, "labels=%s_lr=%s_l2=%s", stem, learningRate, Double.isNaN(l2) ? "auto" : l2);
  }

  /**
   * Thumbnails of the misclassified test images, read from the images root of the store's latest
   * run (the root its stored paths are relative to); placeholders when it recorded none.
   */
  private static Thumbnails thumbnails(StoreSnapshot snapshot, Configuration conf) {
    List<RunSummary> runs = snapshot.store().runSummaries();
    return new Thumbnails(runs.isEmpty() ? null : runs.get(runs.size() - 1).images(), conf);
  }

  private static void writeSweepTable(Path root, List<Outcome> outcomes, Configuration conf)
      throws IOException {
    StringBuilder csv =
        new StringBuilder(
            "rank,head,labels,learning_rate,l2,best_epoch,validation_accuracy,"
                + "test_accuracy\n");
    List<Outcome> ranked = new ArrayList<>(outcomes);
    ranked.sort(Comparator.comparingDouble(Outcome::validationAccuracy).reversed());
    for (int i = 0; i < ranked.size(); i++) {
      Outcome o = ranked.get(i);
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%s,%s,%d,%.6f,%.6f%n",
              i + 1,
              o.name(),
              o.labels(),
              o.config().learningRate(),
              o.config().l2(),
              o.bestEpoch(),
              o.validationAccuracy(),
              o.test().accuracy()));
    }
    FileSystem fs = HadoopPaths.fileSystem(root, conf);
    try (OutputStream out = fs.create(new Path(root, "sweep.csv"), false)) {
      out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  @SuppressWarnings("EnumOrdinal") // Labeling.counts() is indexed by part, in declaration order
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

  /**
   * Versions, host and settings of this run, plus the SHA-256 of a labels CSV file (folders and
   * globs: none).
   */
  private Provenance provenance(String labels) {
    Provenance provenance = Provenance.current();
    if (FolderLabelSource.NAME.equals(labels)) {
      return provenance;
    }
    try {
      Path path = HadoopPaths.qualify(labels, spark.sparkContext().hadoopConfiguration());
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (HadoopPaths.isFile(fs, path)) {
        try (java.io.InputStream in = fs.open(path)) {
          return provenance.withInput("labels.sha256", Sha256.hex(in));
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot hash the labels file {} for provenance: {}", labels, e.getMessage());
    }
    return provenance;
  }
}
