package dev.tltf.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.error.RetryableException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Flags over conf/ over built-in defaults; every bad value ends the run with one sentence and
 * status 2.
 */
class JobMainTest {
  @TempDir Path conf;

  @Command(name = "demo-job")
  static final class DemoJob implements Callable<Integer> {
    @Option(names = "--batch-size")
    int batchSize;

    @Option(names = "--mode")
    Mode mode;

    @Option(names = "--fail")
    String fail;

    int seen;

    enum Mode {
      FAST,
      EXACT
    }

    @Override
    public Integer call() {
      InvalidInputException.check(
          batchSize > 0, "Invalid --batch-size: %d (must be positive).", batchSize);
      seen = batchSize;
      if ("connection".equals(fail)) {
        // as Spark delivers it: our exception inside another
        throw new IllegalStateException(
            "job aborted",
            RetryableException.fromIo(
                "Cannot read feature store hdfs://nn/s",
                new java.net.ConnectException("Connection refused\n  see https://wiki")));
      }
      if ("missing".equals(fail)) {
        throw RetryableException.fromIo(
            "Cannot read feature store /s", new java.io.FileNotFoundException("/s/x"));
      }
      if ("bug".equals(fail)) {
        throw new NullPointerException("oops");
      }
      if ("code".equals(fail)) {
        return 7;
      }
      return 0;
    }
  }

  /** A mixin whose flag shares one default across the commands that use it. */
  @ConfSection("shared")
  static final class SharedOptions {
    @Option(names = "--workers")
    int workers;
  }

  @Command(name = "mixing-job")
  static final class MixingJob implements Callable<Integer> {
    @Mixin SharedOptions shared;

    @Override
    public Integer call() {
      return 0;
    }
  }

  private record Run(int status, String err, DemoJob job) {}

  private Run run(String properties, String... args) throws Exception {
    Files.writeString(conf.resolve(ConfDefaults.FILE_NAME), properties);
    DemoJob job = new DemoJob();
    StringWriter err = new StringWriter();
    int status = JobMain.run(job, ConfDefaults.load(conf), new PrintWriter(err, true), args);
    return new Run(status, err.toString().trim(), job);
  }

  @Test
  void aFlagWinsOverConfWhichWinsOverNothing() throws Exception {
    assertEquals(8, run("demo-job.batch-size = 8\ndemo-job.mode = fast\n").job().seen);
    assertEquals(
        3, run("demo-job.batch-size = 8\ndemo-job.mode = fast\n", "--batch-size", "3").job().seen);
  }

  @Test
  void aSharedFlagTakesItsSectionDefaultUnlessTheCommandSetsItsOwn() throws Exception {
    Files.writeString(conf.resolve(ConfDefaults.FILE_NAME), "shared.workers = 4\n");
    MixingJob job = new MixingJob();
    assertEquals(0, JobMain.run(job, ConfDefaults.load(conf), new PrintWriter(new StringWriter())));
    assertEquals(4, job.shared.workers);

    Files.writeString(
        conf.resolve(ConfDefaults.FILE_NAME), "shared.workers = 4\nmixing-job.workers = 6\n");
    job = new MixingJob();
    assertEquals(0, JobMain.run(job, ConfDefaults.load(conf), new PrintWriter(new StringWriter())));
    assertEquals(6, job.shared.workers);
    Run own = run("shared.batch-size = 9\ndemo-job.mode = fast\n");
    assertEquals(
        "demo-job: Invalid --batch-size: 0 (must be positive).",
        own.err(),
        "a command's own flag (no section) does not read another's default");
  }

  @Test
  void badValuesFromConfOrFlagsNameTheFlagAndTheValue() throws Exception {
    Run fromConf = run("demo-job.batch-size = lots\ndemo-job.mode = fast\n");
    assertEquals(JobMain.EXIT_BAD_INPUT, fromConf.status());
    assertEquals(
        "demo-job: Invalid value for option '--batch-size': 'lots' is not an int. Run with --help for the "
            + "flags and their defaults.",
        fromConf.err());
    Run badEnum = run("demo-job.batch-size = 2\n", "--mode", "slow");
    assertEquals(
        "demo-job: Invalid value for option '--mode': expected one of [FAST, EXACT] (case-insensitive) but "
            + "was 'slow'. Run with --help for the flags and their defaults.",
        badEnum.err());
    Run checked = run("demo-job.batch-size = 2\ndemo-job.mode = exact\n", "--batch-size", "-4");
    assertEquals("demo-job: Invalid --batch-size: -4 (must be positive).", checked.err());
  }

  @Test
  void everyOutcomeIsZeroOneOrTwoAndSaysWhatToDoNext() throws Exception {
    String conf = "demo-job.batch-size = 2\ndemo-job.mode = fast\n";
    Run transientFailure = run(conf, "--fail", "connection");
    assertEquals(JobMain.EXIT_FAILED, transientFailure.status());
    assertEquals(
        "demo-job: Cannot read feature store hdfs://nn/s: ConnectException: Connection refused. "
            + "A retry may succeed.",
        transientFailure.err());

    Run missing = run(conf, "--fail", "missing");
    assertEquals(
        JobMain.EXIT_BAD_INPUT,
        missing.status(),
        "a missing path is the input's fault, not the weather's");
    assertEquals("demo-job: Cannot read feature store /s: /s/x.", missing.err());

    Run bug = run(conf, "--fail", "bug");
    assertEquals(JobMain.EXIT_FAILED, bug.status());
    assertTrue(
        bug.err()
            .startsWith(
                "demo-job failed with an internal error (a bug in tltf; please report it with "
                    + "what follows): java.lang.NullPointerException: oops"),
        bug.err());

    assertEquals(
        JobMain.EXIT_FAILED, run(conf, "--fail", "code").status(), "no status beyond 0, 1 and 2");
  }
}
