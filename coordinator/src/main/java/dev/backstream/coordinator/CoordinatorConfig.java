package dev.backstream.coordinator;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.coordinator.training.TrainingSettings;
import java.time.Duration;

/**
 * How a coordinator reaches Kafka and paces its steps.
 *
 * @param kafka client settings (bootstrap servers and the user's properties)
 * @param run the run name; its topics are {@code backstream.<run>.*}
 * @param settings what is trained
 * @param memberTimeout silence after which a worker counts as gone
 * @param deadlineFloor the shortest wait before a late shard is handed out again
 * @param deadlineFactor the wait as a multiple of the median step time
 * @param replicationFactor replicas of the topics it creates
 * @param connectTimeout how long to wait for the broker before giving up with a message
 */
public record CoordinatorConfig(
    KafkaSettings kafka,
    String run,
    TrainingSettings settings,
    Duration memberTimeout,
    Duration deadlineFloor,
    double deadlineFactor,
    int replicationFactor,
    Duration connectTimeout) {

  /** Defaults: 2 s member timeout, deadline 5x the median step and at least 250 ms, 1 replica. */
  public static CoordinatorConfig of(KafkaSettings kafka, String run, TrainingSettings settings) {
    return new CoordinatorConfig(
        kafka, run, settings, Duration.ofSeconds(2), Duration.ofMillis(250), 5.0, 1,
        Duration.ofSeconds(30));
  }
}
