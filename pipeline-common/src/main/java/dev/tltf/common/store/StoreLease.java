package dev.tltf.common.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tltf.common.error.RetryableException;
import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.io.Json;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer at a time per store: {@code _tltf/lease.json} names the writer that holds the store
 * (run id, command, host, process id, start). It is created only if absent, atomically: on HDFS by
 * renaming a complete temporary file onto it (HDFS refuses to rename onto an existing file), on a
 * local disk by hard-linking one (link(2) refuses an existing name). On S3, where neither exists,
 * the lease is best effort. The holder renews it every quarter of the timeout by setting the file's
 * modification time, which is the heartbeat: renewing never rewrites the file, so a holder that was
 * paused cannot overwrite the lease of a writer that broke its stale one.
 *
 * <p>A lease whose heartbeat is older than the timeout belongs to a writer that died (SIGKILL, lost
 * machine): the next writer logs that it breaks it, moves it to {@code
 * _tltf/broken-leases/<run>.json} (again atomically, so two writers cannot both break it), and only
 * then takes its own and recovers the store. A holder that finds its lease gone or taken stops
 * committing ({@link #check}).
 */
public final class StoreLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreLease.class);
  static final String FILE = "_tltf/lease.json";

  /**
   * How long to wait for a held lease, and after how long without a heartbeat a lease is broken.
   */
  public record Settings(Duration waitForLock, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public Settings {
      if (waitForLock.isNegative() || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "Invalid lease settings: wait " + waitForLock + ", timeout " + timeout);
      }
    }

    /** Do not wait; break leases after the default timeout. */
    public static Settings defaults() {
      return new Settings(Duration.ZERO, DEFAULT_TIMEOUT);
    }

    Duration heartbeat() {
      return Duration.ofMillis(Math.max(200, timeout.toMillis() / 4));
    }
  }

  /** The content of the lease file: who holds the store. */
  public record Holder(
      @JsonProperty("runId") String runId,
      @JsonProperty("command") String command,
      @JsonProperty("host") String host,
      @JsonProperty("pid") long pid,
      @JsonProperty("startedAt") String startedAt) {

    static Holder thisProcess(String runId, String command) {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "unknown host";
      }
      return new Holder(
          runId, command, host, ProcessHandle.current().pid(), Instant.now().toString());
    }

    String describe() {
      return String.format(
          "run %s (%s, host %s, pid %d, started %s)", runId, command, host, pid, startedAt);
    }
  }

  private final String location;
  private final Path file;
  private final Configuration conf;
  private final Holder holder;
  private final Settings settings;
  private final ScheduledExecutorService heartbeat;
  private volatile Instant lastBeat = Instant.now();
  private volatile String lost;

  private StoreLease(
      String location, Path file, Configuration conf, Holder holder, Settings settings) {
    this.location = location;
    this.file = file;
    this.conf = conf;
    this.holder = holder;
    this.settings = settings;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "tltf-lease-heartbeat " + holder.runId());
              thread.setDaemon(true);
              return thread;
            });
    long period = settings.heartbeat().toMillis();
    // Stopped by shutting the executor down in close(); the future has nothing else to say.
    var unused =
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease of the store at {@code root} for {@code runId}, waiting up to the settings'
   * wait for a live holder to finish and breaking a stale lease. Fails with a {@link
   * RetryableException} naming the holder.
   */
  public static StoreLease acquire(
      String location,
      Path root,
      String runId,
      String command,
      Settings settings,
      Configuration conf)
      throws IOException {
    Path file = new Path(root, FILE);
    FileSystem fs = HadoopPaths.fileSystem(file, conf);
    fs.mkdirs(file.getParent());
    Holder me = Holder.thisProcess(runId, command);
    long deadline = System.nanoTime() + settings.waitForLock().toNanos();
    boolean logged = false;
    while (true) {
      if (createIfAbsent(fs, file, Json.write(me))) {
        return new StoreLease(location, file, conf, me, settings);
      }
      Observed other = observe(fs, file);
      if (other == null) {
        continue; // released between our attempt and our look: try again
      }
      if (other.age().compareTo(settings.timeout()) > 0) {
        LOG.warn(
            "Breaking the lease of feature store {}: {} sent no heartbeat for {} s (timeout {} s), so it is "
                + "taken to be dead; recovering what it left",
            location,
            other.describe(),
            other.age().toSeconds(),
            settings.timeout().toSeconds());
        breakLease(fs, file, other);
        continue;
      }
      if (System.nanoTime() >= deadline) {
        throw new RetryableException(
            String.format(
                "Cannot write feature store %s: %s holds its lease (last heartbeat "
                    + "%d s ago); one writer at a time, so wait for it to finish or pass --wait-for-lock SECONDS",
                location, other.holder().describe(), other.age().toSeconds()));
      }
      if (!logged) {
        LOG.info(
            "Waiting up to {} s for the lease of feature store {}, held by {}",
            settings.waitForLock().toSeconds(),
            location,
            other.holder().describe());
        logged = true;
      }
      sleep(Math.min(1000, Math.max(50, settings.heartbeat().toMillis() / 2)));
    }
  }

  /** Who holds the lease of the store at {@code root} now, or null; for messages and tests. */
  public static Holder holder(Path root, Configuration conf) throws IOException {
    Path file = new Path(root, FILE);
    Observed observed = observe(HadoopPaths.fileSystem(file, conf), file);
    return observed == null ? null : observed.holder();
  }

  public Holder holder() {
    return holder;
  }

  /**
   * Fails, before a commit step, when this writer no longer holds the store (its lease was broken
   * or lost).
   */
  public void check() {
    if (lost != null) {
      throw new RetryableException("Cannot commit to feature store " + location + ": " + lost);
    }
  }

  /** Stops the heartbeat and removes the lease, if it is still ours. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(10, TimeUnit.SECONDS);
      FileSystem fs = HadoopPaths.fileSystem(file, conf);
      Observed now = observe(fs, file);
      if (now != null && now.holder().runId().equals(holder.runId())) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      LOG.warn(
          "Could not release the lease of feature store {} ({}); the next writer breaks it after {} s",
          location,
          e.getMessage(),
          settings.timeout().toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the heartbeat and leaves the file: for a lease inside a store that is being replaced as a
   * whole (it goes with the old store).
   */
  public void retire() {
    heartbeat.shutdownNow();
  }

  private void beat() {
    try {
      FileSystem fs = HadoopPaths.fileSystem(file, conf);
      Observed now = observe(fs, file);
      if (now == null || !now.holder().runId().equals(holder.runId())) {
        lost =
            "its lease was broken by another writer "
                + (now == null ? "" : "(" + now.holder().describe() + ") ")
                + "while this one ran";
        LOG.error("Lost the lease of feature store {}: {}", location, lost);
        heartbeat.shutdown();
        return;
      }
      fs.setTimes(file, System.currentTimeMillis(), -1);
      lastBeat = Instant.now();
    } catch (IOException e) {
      Duration silent = Duration.between(lastBeat, Instant.now());
      LOG.warn(
          "Could not renew the lease of feature store {} ({}); no heartbeat for {} s",
          location,
          e.getMessage(),
          silent.toSeconds());
      if (silent.compareTo(settings.timeout()) > 0) {
        lost =
            "its lease could not be renewed for "
                + silent.toSeconds()
                + " s, so another writer may have broken it";
      }
    }
  }

  private record Observed(Holder holder, Duration age, long heartbeat) {
    String describe() {
      return holder.describe();
    }
  }

  /** The lease file's holder and the time since its heartbeat, or null when there is none. */
  private static Observed observe(FileSystem fs, Path file) throws IOException {
    try {
      FileStatus status = fs.getFileStatus(file);
      String json = HadoopPaths.readUtf8(file, fs.getConf());
      Holder holder;
      try {
        holder = Json.read(json, Holder.class, "store lease");
      } catch (IllegalArgumentException damaged) {
        // Not ours to judge while fresh; once stale, broken like any other.
        holder = new Holder("unknown", "unreadable lease", "unknown host", -1, "unknown");
      }
      long age = Math.max(0, System.currentTimeMillis() - status.getModificationTime());
      return new Observed(holder, Duration.ofMillis(age), status.getModificationTime());
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /**
   * Publishes {@code text} as {@code target} only if no such file exists; true if this call created
   * it.
   */
  private static boolean createIfAbsent(FileSystem fs, Path target, String text)
      throws IOException {
    Path temp =
        new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try (OutputStream out = fs.create(temp, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    try {
      return publish(fs, temp, target);
    } finally {
      fs.delete(temp, false);
    }
  }

  /**
   * Gives the complete file {@code from} the name {@code to} unless that name exists; atomic on
   * HDFS and local FS.
   */
  private static boolean publish(FileSystem fs, Path from, Path to) throws IOException {
    if (fs instanceof RawLocalFileSystem || fs instanceof LocalFileSystem) {
      File target = new File(to.toUri().getPath());
      try {
        Files.createLink(target.toPath(), new File(from.toUri().getPath()).toPath());
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    return fs.rename(from, to);
  }

  /**
   * Moves the stale lease aside under a name that only this observation of it gives (its run and
   * heartbeat), so that of two writers breaking it, the second finds the name taken and leaves the
   * first one's new lease alone.
   */
  private static void breakLease(FileSystem fs, Path file, Observed staleLease) throws IOException {
    Holder stale = staleLease.holder();
    Path broken =
        new Path(
            file.getParent(),
            "broken-leases/" + stale.runId() + "-" + staleLease.heartbeat() + ".json");
    fs.mkdirs(broken.getParent());
    if (fs instanceof RawLocalFileSystem || fs instanceof LocalFileSystem) {
      // link, then unlink only if the name still points at the stale lease we judged
      if (publish(fs, file, broken) && stale.runId().equals(readHolderRunId(fs, file))) {
        fs.delete(file, false);
      }
      return;
    }
    fs.rename(file, broken);
  }

  private static String readHolderRunId(FileSystem fs, Path file) throws IOException {
    Observed now = observe(fs, file);
    return now == null ? null : now.holder().runId();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("Interrupted while waiting for the lease of a feature store", e);
    }
  }
}
