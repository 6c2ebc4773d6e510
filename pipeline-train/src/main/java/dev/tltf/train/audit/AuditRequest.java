package dev.tltf.train.audit;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.split.Split;
import dev.tltf.train.model.HeadConfig;

/**
 * What an audit run was asked to do, validated before any work.
 *
 * @param images root the stored paths are relative to, for thumbnails; null = the store's recorded
 *     root
 * @param folds k of the k-fold out-of-fold probabilities
 * @param neighbours nearest neighbours kept per image (near-duplicate pairs come from these)
 * @param nearRatio near-duplicate when distance ≤ nearRatio × the store's median nearest-neighbour
 *     distance
 * @param outlierRatio outlier when ≥ outlierRatio × the usual distance to its own class and to any
 *     image (Outliers)
 * @param blockRows rows per block of the all-pairs search
 * @param distributedAbove distinct images from which the all-pairs search runs on the executors (0
 *     = always)
 * @param reportLimit rows shown per section of audit.html
 */
public record AuditRequest(
    String features,
    String out,
    String labels,
    String images,
    Split split,
    int folds,
    int neighbours,
    double nearRatio,
    double outlierRatio,
    int blockRows,
    long distributedAbove,
    HeadConfig head,
    int reportLimit,
    boolean overwrite) {
  public AuditRequest {
    InvalidInputException.check(
        folds >= 2 && folds <= 100, "Invalid --folds: %d (must be between 2 and 100).", folds);
    InvalidInputException.check(
        neighbours >= 1 && neighbours <= 1000,
        "Invalid --neighbours: %d (must be between 1 and 1000).",
        neighbours);
    InvalidInputException.check(
        nearRatio >= 0 && nearRatio <= 1,
        "Invalid --near-duplicate-ratio: %s (must be between 0 and 1).",
        nearRatio);
    InvalidInputException.check(
        outlierRatio > 1 && outlierRatio <= 100,
        "Invalid --outlier-ratio: %s (must be > 1 and ≤ 100).",
        outlierRatio);
    InvalidInputException.check(
        blockRows >= 16 && blockRows <= 16_384,
        "Invalid --block-rows: %d (must be between 16 and 16384).",
        blockRows);
    InvalidInputException.check(
        distributedAbove >= 0, "Invalid --distributed-above: %d (must be ≥ 0).", distributedAbove);
    InvalidInputException.check(
        reportLimit >= 1 && reportLimit <= 10_000,
        "Invalid --report-limit: %d (must be between 1 and 10000).",
        reportLimit);
  }
}
