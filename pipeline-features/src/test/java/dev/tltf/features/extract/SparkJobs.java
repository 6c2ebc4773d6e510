package dev.tltf.features.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark jobs started while it watches, by description: shows which kinds of work a run started,
 * not only what it reported.
 */
final class SparkJobs extends SparkListener implements AutoCloseable {
  private final SparkSession spark;
  private final List<String> descriptions = new ArrayList<>();

  private SparkJobs(SparkSession spark) {
    this.spark = spark;
  }

  static SparkJobs watch(SparkSession spark) {
    SparkJobs jobs = new SparkJobs(spark);
    spark.sparkContext().addSparkListener(jobs);
    return jobs;
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart start) {
    descriptions.add(
        Objects.toString(start.properties().getProperty("spark.job.description"), "(none)"));
  }

  /** Every job started so far, each as its description, once the events delivered. */
  List<String> started() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener events were not delivered in 60 s", e);
    }
    synchronized (this) {
      return List.copyOf(descriptions);
    }
  }

  long described(String description) {
    return started().stream().filter(description::equals).count();
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(this);
  }
}
