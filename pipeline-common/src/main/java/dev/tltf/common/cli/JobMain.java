package dev.tltf.common.cli;

import dev.tltf.common.NativeSetup;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The thin entry point every job shares: parse flags (defaults from {@link ConfDefaults}), run, and turn the
 * outcome into an exit status. Bad input, whether caught by the parser or by the job's own checks, prints one
 * sentence and exits 2; an unexpected failure exits 1 with its stack trace.
 */
public final class JobMain {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_INPUT = 2;

  private JobMain() {}

  /** Runs {@code command} with {@code args} and returns the exit status; never calls System.exit. */
  public static int run(Object command, String... args) {
    return run(command, ConfDefaults.load(), args);
  }

  public static int run(Object command, ConfDefaults defaults, String... args) {
    return run(command, defaults, new PrintWriter(System.err, true), args);
  }

  /** As {@link #run(Object, String...)}, with the defaults and the stream for messages given (tests). */
  public static int run(Object command, ConfDefaults defaults, PrintWriter err, String... args) {
    NativeSetup.ensure();
    CommandLine cli = new CommandLine(command);
    cli.setErr(err);
    cli.setDefaultValueProvider(defaults);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler((ex, argv) -> {
      ex.getCommandLine().getErr().println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage()
          + (ex.getMessage().endsWith(".") ? "" : ".") + " Run with --help for the flags and their defaults.");
      return EXIT_BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      InvalidInputException bad = findInvalidInput(ex);
      if (bad != null) {
        commandLine.getErr().println(commandLine.getCommandName() + ": " + bad.getMessage());
        return EXIT_BAD_INPUT;
      }
      commandLine.getErr().println(commandLine.getCommandName() + " failed: " + ex);
      ex.printStackTrace(commandLine.getErr());
      return EXIT_FAILED;
    });
    return cli.execute(args);
  }

  /** Runs and exits the JVM with the status; for the main methods that spark-submit calls. */
  public static void exit(Object command, String... args) {
    int status = run(command, args);
    System.exit(status);
  }

  private static InvalidInputException findInvalidInput(Throwable t) {
    for (Throwable cause = t; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidInputException invalid) {
        return invalid;
      }
    }
    return null;
  }
}
