package dev.tltf.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.error.RetryableException;
import dev.tltf.common.testing.StoreFixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer at a time per store, on a local disk: the second fails naming the first, waits, or
 * breaks a dead one.
 */
class StoreLeaseTest {
  static final BackboneFingerprint FINGERPRINT = StoreFixtures.fingerprint("random:1", 4);
  private final Configuration conf = new Configuration();

  @TempDir Path dir;

  private FeatureStoreWriter open(
      String store, String runId, long waitSeconds, long timeoutSeconds) {
    return FeatureStoreWriter.openOrCreate(
        store,
        FINGERPRINT,
        conf,
        new StoreLease.Settings(
            Duration.ofSeconds(waitSeconds), Duration.ofSeconds(timeoutSeconds)),
        runId,
        "test");
  }

  @Test
  void aSecondWriterFailsWithOneSentenceNamingTheHolderOrWaitsForIt() throws Exception {
    String store = dir.resolve("store").toString();
    FeatureStoreWriter first = open(store, "run-1", 0, 120);
    StoreLease.Holder holder = StoreLease.holder(first.layout().root(), conf);
    assertEquals("run-1", holder.runId());
    assertEquals(ProcessHandle.current().pid(), holder.pid());

    RetryableException busy =
        assertThrows(RetryableException.class, () -> open(store, "run-2", 0, 120));
    assertTrue(
        busy.getMessage()
            .matches(
                "Cannot write feature store "
                    + store
                    + ": run run-1 \\(test, host \\S+, pid "
                    + holder.pid()
                    + ", started \\S+\\) holds its lease \\(last heartbeat \\d+ s ago\\); one writer at a time, so "
                    + "wait for it to finish or pass --wait-for-lock SECONDS\\. A retry may succeed\\."),
        busy.getMessage());

    CompletableFuture<FeatureStoreWriter> waiting =
        CompletableFuture.supplyAsync(() -> open(store, "run-3", 60, 120));
    first.close();
    try (FeatureStoreWriter second = waiting.get(60, TimeUnit.SECONDS)) {
      assertEquals("run-3", StoreLease.holder(second.layout().root(), conf).runId());
    }
    assertNull(
        StoreLease.holder(first.layout().root(), conf), "released after the last writer closed");
  }

  @Test
  void ofWritersRacingForAFreeStoreExactlyOneWins() throws Exception {
    String store = dir.resolve("store").toString();
    open(store, "creator", 0, 120).close();
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<FeatureStoreWriter>> attempts = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      String runId = "racer-" + i;
      attempts.add(
          pool.submit(
              () -> {
                start.await();
                return open(store, runId, 0, 120);
              }));
    }
    start.countDown();
    List<FeatureStoreWriter> winners = new ArrayList<>();
    int refused = 0;
    for (Future<FeatureStoreWriter> attempt : attempts) {
      try {
        winners.add(attempt.get(60, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(e.getCause() instanceof RetryableException, String.valueOf(e.getCause()));
        refused++;
      }
    }
    pool.shutdown();
    assertEquals(1, winners.size(), "exactly one writer holds the store");
    assertEquals(writers - 1, refused);
    winners.get(0).close();
  }

  @Test
  void aSigkilledHoldersLeaseIsBrokenAfterItsTimeoutAndOnlyThenIsTheStoreRecovered()
      throws Exception {
    String store = dir.resolve("store").toString();
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LeaseHolder.class.getName(),
                store,
                "run-killed",
                "3")
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder log = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("HOLDING")) {
      log.append(line).append('\n');
    }
    assertTrue(line != null, "the holder ended before taking the lease:\n" + log);
    holder.destroyForcibly(); // SIGKILL: no shutdown hook, the lease stays behind
    assertTrue(holder.waitFor(1, TimeUnit.MINUTES));
    Path staging = Path.of(store, "_tltf/staging/run-killed");
    assertTrue(Files.isDirectory(staging));

    // Within the timeout the dead writer still looks alive: refused, its process named, nothing
    // recovered.
    RetryableException busy =
        assertThrows(RetryableException.class, () -> open(store, "run-next", 0, 3));
    assertTrue(
        busy.getMessage().contains("run run-killed (lease-holder, host "), busy.getMessage());
    assertTrue(busy.getMessage().contains("pid " + holder.pid() + ","), busy.getMessage());
    assertTrue(Files.isDirectory(staging), "no recovery under a live-looking lease");

    // Waiting past the timeout, the next writer breaks the lease, then recovers what the dead one
    // staged.
    try (FeatureStoreWriter next = open(store, "run-next", 60, 3)) {
      assertEquals("run-next", StoreLease.holder(next.layout().root(), conf).runId());
      assertFalse(Files.exists(staging), "recovery ran after the lease was broken");
      try (var broken = Files.list(Path.of(store, "_tltf/broken-leases"))) {
        assertTrue(broken.anyMatch(p -> p.getFileName().toString().startsWith("run-killed-")));
      }
    }
  }
}
