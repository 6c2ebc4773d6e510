package dev.tltf.train.model;

import dev.tltf.common.NativeSetup;
import dev.tltf.common.store.FeatureStore;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.train.model.HeadTrainer.EpochStats;
import dev.tltf.train.model.HeadTrainer.LabeledRows;
import dev.tltf.train.model.HeadTrainer.Result;
import dev.tltf.train.model.HeadTrainer.Score;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --distributed}: the same head, trained on the executors with dl4j-spark's parameter
 * averaging. Each executor standardises and batches its share of the training vectors (read from
 * the store, labels broadcast by path); after every epoch the driver scores the averaged network on
 * the local copies of the train and validation splits, keeps the best epoch and stops early exactly
 * as {@link HeadTrainer} does.
 */
public final class DistributedHeadTrainer implements EpochTrainer {
  static {
    NativeSetup.ensure();
  }

  private static final Logger LOG = LoggerFactory.getLogger(DistributedHeadTrainer.class);

  private final SparkSession spark;
  private final FeatureStore store;
  private final HeadConfig config;

  private final String name;
  private final boolean verbose;

  public DistributedHeadTrainer(SparkSession spark, FeatureStore store, HeadConfig config) {
    this(spark, store, config, "sgd", false);
  }

  /**
   * {@code name} starts this trial's log lines; {@code verbose}: one line per epoch, else one per
   * trial.
   */
  public DistributedHeadTrainer(
      SparkSession spark, FeatureStore store, HeadConfig config, String name, boolean verbose) {
    this.spark = spark;
    this.store = store;
    this.config = config;
    this.name = name;
    this.verbose = verbose;
  }

  @Override
  public Result train(LabeledRows train, LabeledRows validation, int classes) {
    int dimension = train.spill().dimension();
    Standardizer standardizer = Standardizer.fit(train.spill(), train.rows(), 1024);
    Map<String, Integer> labelOfPath = new HashMap<>();
    for (int row : train.rows()) {
      labelOfPath.put(train.spill().path(row), train.labels()[row]);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Map<String, Integer>> labels = jsc.broadcast(labelOfPath);
    Broadcast<Standardizer> scaling = jsc.broadcast(standardizer);
    int batch = config.batchSize();

    HeadTrainer local = new HeadTrainer(config);
    MultiLayerNetwork initial = local.newNetwork(dimension, classes, train);
    ParameterAveragingTrainingMaster master =
        new ParameterAveragingTrainingMaster.Builder(batch)
            .batchSizePerWorker(batch)
            .averagingFrequency(5)
            .workerPrefetchNumBatches(0)
            .rddTrainingApproach(RDDTrainingApproach.Direct)
            .storageLevel(
                StorageLevel.MEMORY_AND_DISK_SER()) // the master persists the batches across epochs
            .rngSeed(config.seed())
            .build();
    SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(jsc, initial, master);
    EarlyStopping<MultiLayerNetwork> stopping =
        new EarlyStopping<>(config.patience(), validation.size() > 0);
    try {
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        // A fresh shuffle each epoch, as the local trainer does: stores keep rows grouped (by
        // folder, by run), and
        // mini-batches of one class on each worker average into a poor model.
        JavaRDD<DataSet> data =
            store
                .features()
                .select(FeatureStoreSchema.PATH, FeatureStoreSchema.FEATURES)
                .orderBy(functions.rand(config.seed() + epoch))
                .javaRDD()
                .mapPartitions(
                    rows ->
                        new MiniBatches(
                            rows, labels.value(), scaling.value(), dimension, classes, batch));
        MultiLayerNetwork network;
        try {
          network = sparkNet.fit(data);
        } finally {
          data.unpersist();
        }
        Score onTrain =
            HeadTrainer.score(
                network,
                train.sample(HeadTrainer.TRAIN_SCORE_SAMPLE, config.seed()),
                standardizer,
                classes);
        Score onValidation =
            validation.size() > 0
                ? HeadTrainer.score(network, validation, standardizer, classes)
                : Score.NONE;
        EpochStats stats =
            new EpochStats(
                epoch,
                onTrain.loss(),
                onTrain.accuracy(),
                onValidation.loss(),
                onValidation.accuracy());
        if (verbose) {
          LOG.info(
              String.format(
                  java.util.Locale.ROOT,
                  "%s epoch %d (distributed): train loss %.4f acc %.3f, "
                      + "validation loss %.4f acc %.3f",
                  name,
                  epoch,
                  onTrain.loss(),
                  onTrain.accuracy(),
                  onValidation.loss(),
                  onValidation.accuracy()));
        }
        if (stopping.stop(stats, network::clone)) {
          break;
        }
      }
    } finally {
      master.deleteTempFiles(jsc);
      labels.unpersist();
      scaling.unpersist();
    }
    LOG.info(stopping.summary(name + " (distributed)"));
    MultiLayerNetwork best = stopping.best();
    HeadTrainer.foldStandardization(best, standardizer);
    return new Result(best, stopping.history(), stopping.bestEpoch());
  }

  /**
   * A partition's labelled training vectors, standardised, as DataSets of up to {@code batch}
   * examples.
   */
  private static final class MiniBatches implements Iterator<DataSet> {
    private final Iterator<Row> rows;
    private final Map<String, Integer> labels;
    private final Standardizer standardizer;
    private final int dimension;
    private final int classes;
    private final int batch;
    private DataSet next;

    MiniBatches(
        Iterator<Row> rows,
        Map<String, Integer> labels,
        Standardizer standardizer,
        int dimension,
        int classes,
        int batch) {
      NativeSetup.ensure();
      this.rows = rows;
      this.labels = labels;
      this.standardizer = standardizer;
      this.dimension = dimension;
      this.classes = classes;
      this.batch = batch;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = fill();
      }
      return next != null;
    }

    @Override
    public DataSet next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      DataSet result = next;
      next = null;
      return result;
    }

    private DataSet fill() {
      float[] features = new float[batch * dimension];
      float[] oneHot = new float[batch * classes];
      int count = 0;
      while (count < batch && rows.hasNext()) {
        Row row = rows.next();
        Integer label = labels.get(row.getString(0));
        if (label == null) {
          continue;
        }
        List<Float> values = row.getList(1);
        for (int d = 0; d < dimension; d++) {
          features[count * dimension + d] = values.get(d);
        }
        oneHot[count * classes + label] = 1f;
        count++;
      }
      if (count == 0) {
        return null;
      }
      standardizer.apply(features, count);
      return new DataSet(
          HeadTrainer.matrix(features, count, dimension),
          Nd4j.create(
              java.util.Arrays.copyOf(oneHot, count * classes), new long[] {count, classes}, 'c'));
    }
  }
}
