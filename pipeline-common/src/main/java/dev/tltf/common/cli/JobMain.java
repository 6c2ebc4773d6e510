package dev.tltf.common.cli;

import dev.tltf.common.NativeSetup;
import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.error.RetryableException;
import dev.tltf.common.provenance.CommandSettings;
import dev.tltf.common.provenance.Settings;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The thin entry point every job shares: parse flags (defaults from {@link ConfDefaults}), run, and
 * turn the outcome into an exit status. This is the one place where errors become exit statuses:
 *
 * <ul>
 *   <li>{@value #EXIT_OK}: done;
 *   <li>{@value #EXIT_FAILED}: not done, nothing half-written; either a {@link RetryableException}
 *       (one sentence that says a retry may succeed) or an internal error (a bug: the message says
 *       so and the stack trace follows);
 *   <li>{@value #EXIT_BAD_INPUT}: bad input, caught by the parser or by the job's own checks
 *       ({@link InvalidInputException}): one sentence; the same input fails the same way again.
 * </ul>
 */
public final class JobMain {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_INPUT = 2;

  /**
   * The order of a help page's flags: by their {@code order} (mixins shared by several commands
   * number theirs so that each page lists them where its own flags leave room; see {@code
   * PredictionOptions}), else as declared, and --help and --version last, as picocli puts them when
   * no flag is numbered.
   */
  private static final Comparator<OptionSpec> HELP_ORDER =
      Comparator.comparing((OptionSpec o) -> o.usageHelp() || o.versionHelp())
          .thenComparingInt(OptionSpec::order);

  private JobMain() {}

  /**
   * Runs {@code command} with {@code args} and returns the exit status; never calls System.exit.
   */
  public static int run(Object command, String... args) {
    return run(command, ConfDefaults.load(), args);
  }

  public static int run(Object command, ConfDefaults defaults, String... args) {
    return run(
        command,
        defaults,
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        args);
  }

  /**
   * As {@link #run(Object, String...)}, with the defaults and the stream for messages given
   * (tests).
   */
  public static int run(Object command, ConfDefaults defaults, PrintWriter err, String... args) {
    NativeSetup.ensure();
    CommandLine cli = new CommandLine(command);
    cli.setErr(err);
    cli.setDefaultValueProvider(defaults);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.getHelpSectionMap()
        .put(
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
            help ->
                help.optionList(
                    help.createDefaultLayout(), HELP_ORDER, help.parameterLabelRenderer()));
    cli.setParameterExceptionHandler(
        (ex, argv) -> {
          ex.getCommandLine()
              .getErr()
              .println(
                  ex.getCommandLine().getCommandName()
                      + ": "
                      + ex.getMessage()
                      + (ex.getMessage().endsWith(".") ? "" : ".")
                      + " Run with --help for the flags and their defaults.");
          return EXIT_BAD_INPUT;
        });
    cli.setExecutionStrategy(
        parseResult -> {
          CommandSettings.record(Settings.of(parseResult.commandSpec()));
          return new CommandLine.RunLast().execute(parseResult);
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) ->
            report(ex, commandLine.getCommandName(), commandLine.getErr()));
    int status = cli.execute(args);
    return status == EXIT_OK || status == EXIT_BAD_INPUT ? status : EXIT_FAILED;
  }

  /** Runs and exits the JVM with the status; for the main methods that spark-submit calls. */
  public static void exit(Object command, String... args) {
    int status = run(command, args);
    System.exit(status);
  }

  /**
   * Prints what went wrong and returns the exit status. Spark wraps what a job throws (a task's
   * failure in a SparkException, a lambda's in its own), so the cause chain is searched for our two
   * types; the outermost wins.
   */
  static int report(Throwable ex, String command, PrintWriter err) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidInputException bad) {
        err.println(command + ": " + bad.getMessage());
        return EXIT_BAD_INPUT;
      }
      if (cause instanceof RetryableException retryable) {
        err.println(command + ": " + retryable.getMessage());
        return EXIT_FAILED;
      }
    }
    err.println(
        command
            + " failed with an internal error (a bug in tltf; please report it with what follows): "
            + ex);
    ex.printStackTrace(err);
    return EXIT_FAILED;
  }
}
