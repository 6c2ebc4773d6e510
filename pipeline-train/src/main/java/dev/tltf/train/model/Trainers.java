package dev.tltf.train.model;

import dev.tltf.common.store.FeatureStore;
import org.apache.spark.sql.SparkSession;

/**
 * Where heads are trained, decided once ({@code --distributed}): on the driver, or with the
 * executors' help (dl4j-spark for mini-batches, the loss summed over vectors cached on the
 * executors for the full-batch solver).
 */
public interface Trainers {
  /** A mini-batch trainer; {@code name} starts its log lines, {@code verbose}: one per epoch. */
  EpochTrainer epochs(HeadConfig config, String name, boolean verbose);

  FullBatchTrainer fullBatch(HeadConfig config, SolverConfig solver);

  static Trainers onDriver() {
    return new Trainers() {
      @Override
      public EpochTrainer epochs(HeadConfig config, String name, boolean verbose) {
        return new HeadTrainer(config, name, verbose);
      }

      @Override
      public FullBatchTrainer fullBatch(HeadConfig config, SolverConfig solver) {
        return new FullBatchTrainer(config, solver);
      }
    };
  }

  /** With the executors; training vectors are read again from {@code store}. */
  static Trainers distributed(SparkSession spark, FeatureStore store) {
    return new Trainers() {
      @Override
      public EpochTrainer epochs(HeadConfig config, String name, boolean verbose) {
        return new DistributedHeadTrainer(spark, store, config, name, verbose);
      }

      @Override
      public FullBatchTrainer fullBatch(HeadConfig config, SolverConfig solver) {
        return new FullBatchTrainer(config, solver, DistributedSoftmaxData.factory(spark, store));
      }
    };
  }
}
