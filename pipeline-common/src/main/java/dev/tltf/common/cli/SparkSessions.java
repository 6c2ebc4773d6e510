package dev.tltf.common.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a job. Under spark-submit the master and settings come from there; a job
 * started as plain Java (an IDE, a test) with no master set runs on {@code local[*]}. A session
 * that already existed (a test's shared one) is reused and left running; one created here is
 * stopped on {@link Handle#close()}.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static Handle getOrCreate(String appName) {
    if (SparkSession.getDefaultSession().isDefined()) {
      return new Handle(SparkSession.getDefaultSession().get(), false);
    }
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    if (!conf.contains("spark.app.name")) {
      conf.setAppName(appName);
    }
    // One network per executor runs one forward pass at a time with all of ND4J's OpenMP threads;
    // left alone,
    // OpenMP takes every core of the machine, so executors sharing a node would oversubscribe it.
    if (conf.contains("spark.executor.cores")
        && !conf.contains("spark.executorEnv.OMP_NUM_THREADS")) {
      conf.set("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.executor.cores"));
    }
    // Spinning OpenMP threads lose to the decoding tasks beside them (docs/BENCHMARKS.md); wait
    // passively.
    if (!conf.contains("spark.executorEnv.OMP_WAIT_POLICY")) {
      conf.set("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
    }
    return new Handle(SparkSession.builder().config(conf).getOrCreate(), true);
  }

  /** A session plus whether closing it should stop it. */
  public static final class Handle implements AutoCloseable {
    private final SparkSession session;
    private final boolean owned;

    Handle(SparkSession session, boolean owned) {
      this.session = session;
      this.owned = owned;
    }

    public SparkSession session() {
      return session;
    }

    @Override
    public void close() {
      if (owned) {
        session.stop();
      }
    }
  }
}
