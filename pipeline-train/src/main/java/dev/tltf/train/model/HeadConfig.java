package dev.tltf.train.model;

import dev.tltf.common.cli.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hyper-parameters of a head; validated here, saved in head.json as provenance. */
public record HeadConfig(int epochs, double learningRate, int batchSize, double l2, long seed, int patience) {
  public HeadConfig {
    InvalidInputException.check(epochs >= 1 && epochs <= 10_000, "Invalid --epochs: %d (must be between 1 and 10000).",
        epochs);
    InvalidInputException.check(learningRate > 0 && learningRate <= 10,
        "Invalid --learning-rate: %s (must be > 0 and ≤ 10).", learningRate);
    InvalidInputException.check(batchSize >= 1 && batchSize <= 65_536,
        "Invalid --batch-size: %d (must be between 1 and 65536).", batchSize);
    InvalidInputException.check(l2 >= 0 && l2 < 1, "Invalid --l2: %s (must be ≥ 0 and < 1).", l2);
    InvalidInputException.check(patience >= 0, "Invalid --patience: %d (must be ≥ 0; 0 turns early stopping off).",
        patience);
  }

  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("epochs", epochs);
    map.put("learningRate", learningRate);
    map.put("batchSize", batchSize);
    map.put("l2", l2);
    map.put("seed", seed);
    map.put("patience", patience);
    map.put("optimizer", "adam");
    return map;
  }
}
