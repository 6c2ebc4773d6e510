package dev.tltf.common.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A writer for {@link StoreLeaseTest} to SIGKILL: in its own JVM it takes a store's lease, stages
 * part of a run, says so on stdout and waits to be killed. {@code java … LeaseHolder STORE RUN_ID
 * TIMEOUT_SECONDS}
 */
public final class LeaseHolder {
  private LeaseHolder() {}

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    FeatureStoreWriter writer =
        FeatureStoreWriter.openOrCreate(
            args[0],
            StoreLeaseTest.FINGERPRINT,
            conf,
            new StoreLease.Settings(Duration.ZERO, Duration.ofSeconds(Long.parseLong(args[2]))),
            args[1],
            "lease-holder");
    Path staged = new Path(writer.stagingFeatures(args[1]), "part-0.parquet");
    try (FileSystem fs = FileSystem.newInstance(staged.toUri(), conf);
        var out = fs.create(staged)) {
      out.write("half a run".getBytes(StandardCharsets.UTF_8));
    }
    System.out.println("HOLDING " + ProcessHandle.current().pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
