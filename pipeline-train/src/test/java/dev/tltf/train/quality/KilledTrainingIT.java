package dev.tltf.train.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.head.HeadDirectory;
import dev.tltf.common.testing.SharedSpark;
import dev.tltf.common.testing.StoreFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/train-head killed (SIGKILL) while it writes the head: nothing at --out that predict would
 * accept, and a re-run writes a complete head.
 */
class KilledTrainingIT {
  private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path dir;

  private ProcessBuilder train(String store, Path head, Path log) {
    return new ProcessBuilder(
            PROJECT.resolve("bin/train-head").toString(),
            "--master",
            "local[2]",
            "--features",
            store,
            "--out",
            head.toString(),
            "--l2",
            "0.0001",
            "--epochs",
            "3",
            "--hidden",
            "2048")
        .directory(PROJECT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
  }

  private static boolean writing(Path parent) throws Exception {
    try (Stream<Path> entries = Files.list(parent)) {
      return entries.anyMatch(p -> p.getFileName().toString().contains(".tltf-tmp-"));
    }
  }

  @Test
  void aHeadKilledWhileBeingWrittenIsNeverAccepted() throws Exception {
    String store = dir.resolve("store").toString();
    StoreFixtures.write(
        SharedSpark.session(),
        store,
        StoreFixtures.fingerprint("random:1", 2048),
        StoreFixtures.blobs(List.of("a", "b"), 40, 2048, 0.5, 3));
    Path heads = Files.createDirectories(dir.resolve("heads"));
    Path head = heads.resolve("head");
    Process killed = train(store, head, dir.resolve("killed.log")).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (killed.isAlive() && !writing(heads) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(
        killed.isAlive(),
        "training ended before it could be killed:\n"
            + Files.readString(dir.resolve("killed.log")));
    killed.destroyForcibly();
    assertTrue(killed.waitFor(1, TimeUnit.MINUTES));

    assertTrue(Files.notExists(head), "no head directory at --out");
    InvalidInputException refused =
        assertThrows(
            InvalidInputException.class,
            () -> HeadDirectory.load(head.toString(), new Configuration()));
    assertTrue(refused.getMessage().contains("does not exist"), refused.getMessage());

    Process rerun = train(store, head, dir.resolve("rerun.log")).start();
    assertTrue(rerun.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, rerun.exitValue(), Files.readString(dir.resolve("rerun.log")));
    assertEquals(
        List.of("a", "b"), HeadDirectory.load(head.toString(), new Configuration()).labels());
  }
}
