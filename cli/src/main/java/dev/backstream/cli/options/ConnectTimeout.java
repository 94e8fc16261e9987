package dev.backstream.cli.options;

import dev.backstream.cli.base.UserException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --connect-timeout}: how long a command waits for Kafka before it says so and gives up. */
public final class ConnectTimeout {
  @Option(names = "--connect-timeout", paramLabel = "SECONDS",
      defaultValue = "${env:BACKSTREAM_CONNECT_TIMEOUT:-30}",
      description = "How long to wait for Kafka before giving up with a message "
          + "(default: ${DEFAULT-VALUE}; env BACKSTREAM_CONNECT_TIMEOUT).")
  int seconds;

  /**
   * The {@code --connect-timeout}.
   *
   * @throws UserException (exit 2) unless at least 1 second
   */
  public Duration duration() {
    if (seconds < 1) {
      throw UserException.usage("Invalid value " + seconds
          + " for --connect-timeout: must be at least 1 (seconds)");
    }
    return Duration.ofSeconds(seconds);
  }
}
