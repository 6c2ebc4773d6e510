package dev.tltf.common.testing;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session per test JVM (as Spark's own SharedSparkSession), small shuffles and no
 * UI, so that tests can run jobs through their entry points: the jobs find and reuse this session
 * instead of starting one.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("tltf tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
    }
    return session;
  }
}
