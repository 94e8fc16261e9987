package dev.backstream.common.kafka;

import java.time.Duration;

/**
 * The broker did not answer in time. Fatal for the command that needed it: the message names the
 * servers and what to check.
 */
public final class KafkaUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param bootstrapServers what was tried
   * @param waited how long
   */
  public KafkaUnreachableException(String bootstrapServers, Duration waited) {
    super("cannot reach Kafka at " + bootstrapServers + " within " + waited.toSeconds()
        + " s: check --bootstrap (HOST:PORT of a running broker) and --kafka-config");
  }
}
