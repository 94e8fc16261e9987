package dev.backstream.cli.options;

import dev.backstream.cli.base.UserException;
import dev.backstream.coordinator.CoordinatorConfig;
import picocli.CommandLine.Option;

/** {@code --checkpoint-every}, for the commands that coordinate a run over Kafka. */
public final class CheckpointOptions {
  @Option(names = "--checkpoint-every", paramLabel = "STEPS",
      defaultValue = "${env:BACKSTREAM_CHECKPOINT_EVERY:-100}",
      description = "Write a checkpoint every STEPS steps, besides every epoch's end and a clean "
          + "shutdown (default: ${DEFAULT-VALUE}; env BACKSTREAM_CHECKPOINT_EVERY).")
  int checkpointEvery;

  /**
   * {@code config} with these options, and the run key and connect timeout of {@code kafka}.
   *
   * @throws UserException (exit 2) for a bad value or run key
   */
  public CoordinatorConfig apply(CoordinatorConfig config, KafkaOptions kafka) {
    if (checkpointEvery < 1) {
      throw UserException.usage(
          "Invalid value " + checkpointEvery + " for --checkpoint-every: must be at least 1");
    }
    return config.withCheckpointEvery(checkpointEvery).withRunKey(kafka.runKey())
        .withConnectTimeout(kafka.connectTimeout());
  }
}
