package dev.tltf.common.testing;

import dev.tltf.common.cli.ConfDefaults;
import dev.tltf.common.cli.JobMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs a job through its real entry point (as for {@code --help}): its exit status, standard output
 * and messages.
 */
public final class JobConsole {
  private JobConsole() {}

  public record Output(int status, String text, String err) {}

  public static synchronized Output run(Object command, String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int status;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      status = JobMain.run(command, ConfDefaults.load(null), new PrintWriter(err, true), args);
    } finally {
      System.setOut(original);
    }
    return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  /** The long names of a command's options, e.g. {@code --top-k}. */
  public static List<String> optionNames(Object command) {
    return new CommandLine(command)
        .getCommandSpec().options().stream()
            .map(CommandLine.Model.OptionSpec::longestName)
            .toList();
  }
}
