package dev.tltf.train.audit;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.split.Split;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.RunSummary;
import dev.tltf.common.thumbnail.Thumbnails;
import dev.tltf.train.labels.CsvLabelSource;
import dev.tltf.train.labels.FolderLabelSource;
import dev.tltf.train.labels.LabelPolicy;
import dev.tltf.train.labels.LabelSource;
import dev.tltf.train.labels.Labeling;
import dev.tltf.train.snapshot.StoreSnapshot;
import dev.tltf.train.snapshot.VectorSpill;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audit run: read the store's vectors and the labels once, check the input, then find exact
 * duplicates, near-duplicates (and the leaks and conflicts among them) and outliers from one exact
 * all-pairs neighbour search, suspected label errors from out-of-fold heads and confident learning,
 * and write the audit directory.
 */
public final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

  /** Nearest images of the suggested class shown beside each suspect. */
  static final int SUSPECT_NEIGHBOURS = 3;

  private final SparkSession spark;
  private final AuditRequest request;

  public Audit(SparkSession spark, AuditRequest request) {
    this.spark = spark;
    this.request = request;
  }

  public AuditFindings run() throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FeatureStore store = FeatureStore.open(spark, request.features());
    AuditOutput.checkCanCreate(request.out(), request.overwrite(), conf);
    LabelSource source =
        FolderLabelSource.NAME.equals(request.labels())
            ? new FolderLabelSource()
            : CsvLabelSource.read(spark, request.labels());
    StageClock clock = new StageClock();
    AuditSet set;
    List<String> warnings = new ArrayList<>();
    try (StoreSnapshot snapshot = StoreSnapshot.read(store, request.split())) {
      checkLabels(snapshot, source);
      Labeling labeling =
          Labeling.apply(
              snapshot,
              source,
              new LabelPolicy(
                  LabelPolicy.Action.DROP,
                  LabelPolicy.Action.DROP,
                  LabelPolicy.Action.DROP,
                  LabelPolicy.Action.DROP,
                  1));
      warnings.addAll(labeling.warnings());
      set = AuditSet.of(snapshot, labeling);
    }
    clock.lap(StageClock.READ);
    try (set) {
      int[] labels = set.imageLabels();
      int[] examples = examples(set);
      checkFolds(set, examples, store.location());
      List<ExactDuplicates.Group> exact = ExactDuplicates.find(set);
      clock.lap(StageClock.EXACT_DUPLICATES);
      LOG.info(
          "Audit of {}: {} paths, {} distinct images, {} classes; {} image_ids under several paths",
          store.location(),
          set.entries().size(),
          set.images(),
          set.classes().size(),
          exact.size());
      float[] mean = UnitVectors.mean(set.vectors(), request.blockRows());
      NeighbourTable table;
      boolean distributed = distributed(set.images());
      try (VectorSpill unit = UnitVectors.centredUnit(set.vectors(), mean, request.blockRows())) {
        table =
            distributed
                ? new SparkNeighbourSearch(spark, store, request.blockRows())
                    .run(set, mean, labels, request.neighbours())
                : NeighbourSearch.onDriver(unit, labels, request.neighbours(), request.blockRows());
        NearDuplicates.Result near = NearDuplicates.find(table, set, request.nearRatio());
        clock.lap(StageClock.NEIGHBOURS);
        List<Outliers.Outlier> outliers =
            Outliers.find(table, labels, set.classes().size(), request.outlierRatio());
        clock.lap(StageClock.OUTLIERS);
        LOG.info(
            "{} near-duplicate pairs (distance ≤ {} = {} × median nearest-neighbour distance {}), {} outliers",
            near.pairs().size(),
            near.threshold(),
            request.nearRatio(),
            near.typicalDistance(),
            outliers.size());

        float[][] probabilities = outOfFold(set, examples, labels);
        int[] given = Arrays.stream(examples).map(i -> labels[i]).toArray();
        ConfidentLearning.Result confident =
            ConfidentLearning.rank(probabilities, given, set.classes().size());
        clock.lap(StageClock.OUT_OF_FOLD_HEADS);
        int shown = Math.min(request.reportLimit(), confident.suspects().size());
        int[] suspectImages = new int[shown];
        int[] suggested = new int[shown];
        for (int i = 0; i < shown; i++) {
          suspectImages[i] = examples[confident.suspects().get(i).example()];
          suggested[i] = confident.suspects().get(i).suggested();
        }
        int[][] neighbours =
            ClassNeighbours.nearest(
                unit, suspectImages, suggested, labels, SUSPECT_NEIGHBOURS, request.blockRows());
        AuditFindings findings =
            new AuditFindings(
                set,
                exact,
                near,
                examples,
                probabilities,
                confident,
                neighbours,
                outliers,
                settings(store, source, distributed),
                warnings,
                clock.wall(),
                clock.cpu());
        write(findings, store, conf, clock);
        return findings;
      }
    }
  }

  /**
   * Train + validation images with a label: the examples of the label-error stage (the test split
   * stays unseen).
   */
  private static int[] examples(AuditSet set) {
    return java.util.stream.IntStream.range(0, set.images())
        .filter(
            i -> set.image(i).label() != Labeling.NONE && set.image(i).part() != Split.Part.TEST)
        .toArray();
  }

  /** Out-of-fold probabilities of each example, in the order of {@code examples}. */
  private float[][] outOfFold(AuditSet set, int[] examples, int[] imageLabels) {
    int n = set.images();
    int[] labels = new int[n];
    Arrays.fill(labels, Labeling.NONE);
    int[] fold = new int[n];
    boolean[] validation = new boolean[n];
    for (int image : examples) {
      labels[image] = imageLabels[image];
      fold[image] = Folds.of(set.image(image).imageId(), request.folds());
      validation[image] = set.image(image).part() == Split.Part.VALIDATION;
    }
    float[][] byImage =
        new OutOfFoldHeads(request.head())
            .probabilities(
                set.vectors(), labels, fold, validation, request.folds(), set.classes().size());
    float[][] probabilities = new float[examples.length][];
    for (int e = 0; e < examples.length; e++) {
      probabilities[e] = byImage[examples[e]];
    }
    return probabilities;
  }

  /**
   * Whether the all-pairs search goes to the executors: from --distributed-above images on a
   * cluster, always with 0. On a local master the threshold is not applied: the executors are this
   * JVM's own cores, so Spark would only add serialisation and run two tasks of two BLAS threads
   * each on them (measured at 20,000 × 2048 on local[2]: 171 s against 87 s on the driver).
   */
  private boolean distributed(int images) {
    if (request.distributedAbove() == 0) {
      return true;
    }
    if (images < request.distributedAbove()) {
      return false;
    }
    if (spark.sparkContext().isLocal()) {
      LOG.info(
          "{} images ≥ --distributed-above {}, but the master is local: the all-pairs search stays on "
              + "the driver, which has the same cores",
          images,
          request.distributedAbove());
      return false;
    }
    return true;
  }

  /** No labels at all, or one class, is bad input: nothing to audit against. */
  private void checkLabels(StoreSnapshot snapshot, LabelSource source) {
    Map<String, Long> counts = new TreeMap<>();
    for (Split.Part part : Split.Part.values()) {
      VectorSpill spill = snapshot.part(part);
      for (int r = 0; r < spill.size(); r++) {
        String label = source.labelOf(spill.path(r), spill.imageId(r));
        if (label != null) {
          counts.merge(label, 1L, Long::sum);
        }
      }
    }
    InvalidInputException.check(
        !counts.isEmpty(),
        "Cannot audit feature store %s: none of its %d images has a label "
            + "from %s; give --labels dirs for class folders or --labels FILE.csv.",
        request.features(),
        snapshot.size(),
        source.describe());
    InvalidInputException.check(
        counts.size() >= 2,
        "Cannot audit feature store %s: its labels from %s name one class "
            + "(%s), and finding label errors needs at least 2.",
        request.features(),
        source.describe(),
        counts.keySet());
  }

  /** Every class needs at least k train + validation images for k-fold probabilities. */
  private void checkFolds(AuditSet set, int[] examples, String store) {
    long[] counts = new long[set.classes().size()];
    for (int image : examples) {
      counts[set.image(image).label()]++;
    }
    for (int c = 0; c < counts.length; c++) {
      InvalidInputException.check(
          counts[c] >= request.folds(),
          "Cannot audit feature store %s: class '%s' has %d "
              + "distinct labelled train + validation images, fewer than --folds %d (add images, lower --folds, or "
              + "leave the class out of --labels).",
          store,
          set.classes().get(c),
          counts[c],
          request.folds());
    }
  }

  private Map<String, Object> settings(
      FeatureStore store, LabelSource source, boolean distributed) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("features", store.location());
    s.put("featureRuns", store.committedRuns());
    s.put("backbone", store.fingerprint().describe());
    s.put("labels", request.labels());
    s.put("labelSource", source.describe());
    s.put("images", thumbnailRoot(store));
    s.put("trainPercent", request.split().trainPercent());
    s.put("validationPercent", request.split().validationPercent());
    s.put("folds", request.folds());
    s.put("neighbours", request.neighbours());
    s.put("nearDuplicateRatio", request.nearRatio());
    s.put("outlierRatio", request.outlierRatio());
    s.put("blockRows", request.blockRows());
    s.put("distributed", distributed);
    s.put("head", request.head().asMap());
    return s;
  }

  /**
   * --images, or the images root of the store's latest run (null when the store never recorded
   * one).
   */
  private String thumbnailRoot(FeatureStore store) {
    if (request.images() != null && !request.images().isBlank()) {
      return request.images();
    }
    List<RunSummary> runs = store.runSummaries();
    return runs.isEmpty() ? null : runs.get(runs.size() - 1).images();
  }

  private void write(
      AuditFindings findings, FeatureStore store, Configuration conf, StageClock clock)
      throws IOException {
    Thumbnails thumbnails = new Thumbnails(thumbnailRoot(store), conf);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("duplicates.csv", AuditTables.duplicates(findings));
    files.put("suspects.csv", AuditTables.suspects(findings));
    files.put("outliers.csv", AuditTables.outliers(findings));
    files.put("audit.html", new AuditReport(findings, thumbnails, request.reportLimit()).html());
    clock.lap(StageClock.REPORT); // the suspects' class neighbours, thumbnails, tables
    files.put(AuditOutput.SUMMARY, AuditTables.summaryJson(findings)); // its seconds: all stages
    AuditOutput.write(request.out(), files, request.overwrite(), conf);
  }
}
