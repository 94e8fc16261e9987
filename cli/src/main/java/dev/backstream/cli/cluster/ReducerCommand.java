package dev.backstream.cli.cluster;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.reducer.ReducerConfig;
import dev.backstream.reducer.ReducerRuntime;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream reducer}: adds up one subtree of a run's reduction tree until the run is
 * finished or the reducer is stopped. SIGTERM or Ctrl-C leaves cleanly; kill -9 costs the
 * coordinator a member timeout and a step deadline. It needs no data: it adds what workers send.
 */
@Command(
    name = "reducer",
    mixinStandardHelpOptions = true,
    description = "Join a run over Kafka and add up the gradient frames of one subtree of its "
        + "reduction tree, publishing one frame for it a step, until the run is finished or the "
        + "reducer is stopped.")
public final class ReducerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(names = "--subtree", paramLabel = "R",
      defaultValue = "${env:BACKSTREAM_SUBTREE}",
      description = "The reducer subtree to add up, from 0 to the coordinator's --reducers less 1 "
          + "(env BACKSTREAM_SUBTREE).")
  Integer subtree;

  @Override
  public Integer call() throws InterruptedException {
    if (subtree == null) {
      throw UserException.usage("Missing --subtree R (or env BACKSTREAM_SUBTREE): the reducer"
          + " subtree to add up, from 0 to the coordinator's --reducers less 1");
    }
    if (subtree < 0) {
      throw UserException.usage("Invalid value " + subtree + " for --subtree: must be at least 0");
    }
    String run = kafka.run();
    PrintWriter out = spec.commandLine().getOut();
    if (UntilRunEnds.finishedAlready(out, kafka)) {
      return ExitCodes.OK;
    }
    ReducerRuntime runtime =
        start(kafka.settings(), run, subtree, kafka.runKey(), kafka.connectTimeout());
    UntilRunEnds.serve(out, run, "reducer", "reducer " + runtime.reducerId() + " of subtree "
        + subtree + " serving run '" + run + "' on " + kafka.bootstrap(), runtime.runFinished(),
        runtime::close);
    return ExitCodes.OK;
  }

  /**
   * Starts the reducer of {@code subtree} as this command does; {@code train --reducers} starts
   * its reducers through it too.
   *
   * @param runKey signs its sums and checks what it reads, or {@link RunKey#NONE}
   * @param connectTimeout how long it waits for the broker, and for the run to have subtrees
   * @throws UserException (usage) if the run has no such subtree
   */
  public static ReducerRuntime start(KafkaSettings kafka, String run, int subtree, RunKey runKey,
      Duration connectTimeout) {
    ReducerConfig config = ReducerConfig.of(kafka, run, subtree).withRunKey(runKey);
    try {
      return ReducerRuntime.start(config, connectTimeout);
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage());
    }
  }
}
