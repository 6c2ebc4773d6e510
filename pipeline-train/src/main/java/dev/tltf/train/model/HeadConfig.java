package dev.tltf.train.model;

import dev.tltf.common.error.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Hyper-parameters of a head; validated here, saved in head.json as provenance.
 *
 * @param hidden units of an optional hidden ReLU layer; 0 = none (softmax directly on the vectors)
 * @param dropout probability of dropping an input of the softmax layer during training; 0 = none
 * @param classWeights {@code none}, or {@code balanced}: each class weighs total / (classes × its
 *     count) in the loss
 * @param patience epochs without a lower validation loss before stopping; 0 = train all epochs
 */
public record HeadConfig(
    int epochs,
    double learningRate,
    int batchSize,
    double l2,
    long seed,
    int patience,
    int hidden,
    double dropout,
    Optimizer optimizer,
    ClassWeights classWeights) {

  /** Optimisers a head can use. */
  public enum Optimizer {
    ADAM,
    RMSPROP,
    SGD
  }

  /** Loss weighting per class. */
  public enum ClassWeights {
    NONE,
    BALANCED
  }

  public HeadConfig {
    InvalidInputException.check(
        epochs >= 1 && epochs <= 10_000,
        "Invalid --epochs: %d (must be between 1 and 10000).",
        epochs);
    InvalidInputException.check(
        learningRate > 0 && learningRate <= 10,
        "Invalid --learning-rate: %s (must be > 0 and ≤ 10).",
        learningRate);
    InvalidInputException.check(
        batchSize >= 1 && batchSize <= 65_536,
        "Invalid --batch-size: %d (must be between 1 and 65536).",
        batchSize);
    InvalidInputException.check(
        l2 >= 0 && l2 <= 10, "Invalid --l2: %s (must be ≥ 0 and ≤ 10).", l2);
    InvalidInputException.check(
        patience >= 0,
        "Invalid --patience: %d (must be ≥ 0; 0 turns early stopping off).",
        patience);
    InvalidInputException.check(
        hidden >= 0 && hidden <= 65_536,
        "Invalid --hidden: %d (must be between 0 and 65536).",
        hidden);
    InvalidInputException.check(
        dropout >= 0 && dropout < 1, "Invalid --dropout: %s (must be ≥ 0 and < 1).", dropout);
  }

  /** A plain softmax head with Adam and no class weighting. */
  public static HeadConfig softmax(
      int epochs, double learningRate, int batchSize, double l2, long seed, int patience) {
    return new HeadConfig(
        epochs,
        learningRate,
        batchSize,
        l2,
        seed,
        patience,
        0,
        0,
        Optimizer.ADAM,
        ClassWeights.NONE);
  }

  public HeadConfig withLearningRate(double value) {
    return new HeadConfig(
        epochs, value, batchSize, l2, seed, patience, hidden, dropout, optimizer, classWeights);
  }

  public HeadConfig withL2(double value) {
    return new HeadConfig(
        epochs,
        learningRate,
        batchSize,
        value,
        seed,
        patience,
        hidden,
        dropout,
        optimizer,
        classWeights);
  }

  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("epochs", epochs);
    map.put("learningRate", learningRate);
    map.put("batchSize", batchSize);
    map.put("l2", l2);
    map.put("seed", seed);
    map.put("patience", patience);
    map.put("hidden", hidden);
    map.put("dropout", dropout);
    map.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
    map.put("classWeights", classWeights.name().toLowerCase(Locale.ROOT));
    return map;
  }
}
