package dev.backstream.cli.broker;

import dev.backstream.cli.base.UserException;
import dev.backstream.common.protocol.Topics;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --run} of the commands that grant ACLs: the runs whose topics the roles get. */
public final class GrantedRuns {
  @Option(names = "--run", paramLabel = "RUN", split = ",",
      defaultValue = "${env:BACKSTREAM_RUN:-default}",
      description = "The runs whose topics (backstream.<run>.*) the users' roles are granted; "
          + "repeat or separate with commas (default: ${DEFAULT-VALUE}; env BACKSTREAM_RUN).")
  List<String> runs;

  /**
   * The run names, stripped.
   *
   * @throws UserException (exit 2) for a name topics cannot carry
   */
  public List<String> checked() {
    List<String> checked = new ArrayList<>();
    for (String run : runs) {
      try {
        checked.add(Topics.forRun(run.strip()).run());
      } catch (IllegalArgumentException e) {
        throw UserException.usage("Invalid value " + run + " for --run: " + e.getMessage());
      }
    }
    return checked;
  }
}
