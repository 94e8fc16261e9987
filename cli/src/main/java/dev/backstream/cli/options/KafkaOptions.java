package dev.backstream.cli.options;

import dev.backstream.cli.base.UserException;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --bootstrap}, {@code --run}, {@code --kafka-config} and {@code --run-key}, shared by
 * every command that talks to Kafka.
 */
public final class KafkaOptions {
  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "${env:BACKSTREAM_BOOTSTRAP}",
      description = "Kafka bootstrap servers (env BACKSTREAM_BOOTSTRAP).")
  String bootstrap;

  @Option(names = "--run", defaultValue = "${env:BACKSTREAM_RUN:-default}",
      description = "Run name; topics are backstream.<run>.* (default: ${DEFAULT-VALUE}; env BACKSTREAM_RUN).")
  String run;

  @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_KAFKA_CONFIG}",
      description = "Kafka client properties (security.protocol, sasl.*, ssl.*, ...) for every "
          + "client this command makes (env BACKSTREAM_KAFKA_CONFIG).")
  Path kafkaConfig;

  @Option(names = "--run-key", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_RUN_KEY_FILE}",
      description = "Secret shared by the run's coordinator and workers (at least 16 bytes): "
          + "frames carry an HMAC-SHA256 tag under it and frames without a valid tag are rejected "
          + "(env BACKSTREAM_RUN_KEY_FILE).")
  Path runKey;

  @Mixin ConnectTimeout connectTimeout;

  /**
   * The {@code --connect-timeout}.
   *
   * @throws UserException (exit 2) unless at least 1 second
   */
  public Duration connectTimeout() {
    return connectTimeout.duration();
  }

  /**
   * The run key from {@code --run-key}, or {@link RunKey#NONE}.
   *
   * @throws UserException (exit 2) if the file is missing, unreadable or too short
   */
  public RunKey runKey() {
    // blank is unset: compose passes an unset variable on as an empty string
    if (runKey == null || runKey.toString().isBlank()) {
      return RunKey.NONE;
    }
    try {
      return RunKey.load(runKey);
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage());
    }
  }

  /**
   * The validated run name.
   *
   * @throws UserException (exit 2) for a name Kafka topics cannot carry
   */
  public String run() {
    try {
      return Topics.forRun(run).run();
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage());
    }
  }

  /** The {@code --bootstrap} servers, or null when none were given. */
  public String bootstrap() {
    return bootstrap == null || bootstrap.isBlank() ? null : bootstrap;
  }

  /**
   * Client settings for {@code --bootstrap} with the user's properties file.
   *
   * @throws UserException (exit 2) if no bootstrap servers were given
   */
  public KafkaSettings settings() {
    return settings(bootstrap);
  }

  /**
   * Client settings for {@code bootstrap} with the user's properties file, checked as far as can
   * be without connecting.
   *
   * @throws UserException (exit 2) if the file cannot be read, or a setting or the bootstrap
   *     servers would be refused by Kafka's clients
   */
  public KafkaSettings settings(String bootstrap) {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw UserException.usage("Missing --bootstrap HOST:PORT (or env BACKSTREAM_BOOTSTRAP)");
    }
    KafkaConfigFile config = new KafkaConfigFile(kafkaConfig);
    return config.validated(config.load(bootstrap));
  }

  /**
   * Checks {@code --bootstrap} (if given) and {@code --kafka-config} before any work starts, e.g.
   * before the one-command run starts its embedded broker.
   *
   * @throws UserException (exit 2) as {@link #settings(String)} does
   */
  public void check() {
    settings(bootstrap() != null ? bootstrap() : "127.0.0.1:9092");
  }
}
