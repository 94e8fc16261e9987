package dev.backstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README's promise: every option of every command has a {@code BACKSTREAM_*} variable that
 * {@code --help} shows, but for the exceptions the README names.
 */
class EnvironmentVariablesTest {
  private static final Pattern ENV = Pattern.compile("\\$\\{env:(BACKSTREAM_[A-Z_]+)");

  /** "command option" without a variable of its own, each named in the README. */
  private static final List<String> EXCEPTIONS = List.of(
      "fetch --data", "train --data", "coordinator --data", "worker --data", "gradcheck --data",
      "predict --data", "gradcheck --images", "predict --index", "predict --invert",
      "metrics --follow", "metrics --json");

  @Test
  void everyOptionHasAVariableThatHelpShows() {
    List<String> wrong = new ArrayList<>();
    CommandLine cli = Main.commandLine();
    cli.setInterpolateVariables(false); // see ${env:...} as written, not what this shell has
    walk(cli, wrong);
    assertThat(wrong).isEmpty();
  }

  @Test
  void theReadmeNamesEachException() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (String named : new String[] {"`--verbose`", "`--data DIR`", "`gradcheck --images`",
        "`predict --index`/`--invert`", "`metrics --follow`/`--json`", "`bench`"}) {
      assertThat(readme).as(named).contains(named);
    }
  }

  private static void walk(CommandLine cli, List<String> wrong) {
    String command = cli.getCommandName();
    if (command.equals("bench")) {
      return; // measurements, named in the README as without variables
    }
    for (OptionSpec option : cli.getCommandSpec().options()) {
      String where = command + " " + option.longestName();
      if (option.usageHelp() || option.versionHelp() || option.longestName().equals("--verbose")
          || EXCEPTIONS.contains(where)) {
        continue;
      }
      Matcher env = ENV.matcher(String.valueOf(option.defaultValue()));
      if (!env.find()) {
        wrong.add(where + ": no ${env:BACKSTREAM_...} default");
      } else if (!String.join(" ", option.description()).contains("env " + env.group(1))) {
        wrong.add(where + ": --help does not say env " + env.group(1));
      }
    }
    for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
      walk(sub.getValue(), wrong);
    }
  }
}
