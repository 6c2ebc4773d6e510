package dev.tltf.train.model;

import dev.tltf.train.model.HeadTrainer.LabeledRows;
import dev.tltf.train.model.HeadTrainer.Result;

/**
 * A mini-batch head trainer: epochs over the training split, early stopping on the validation loss
 * ({@link EarlyStopping}), the best epoch kept. On the driver ({@link HeadTrainer}) or with the
 * executors ({@link DistributedHeadTrainer}); {@link Trainers} picks which.
 */
public interface EpochTrainer {
  Result train(LabeledRows train, LabeledRows validation, int classes);
}
