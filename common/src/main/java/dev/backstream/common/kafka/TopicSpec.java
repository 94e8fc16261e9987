package dev.backstream.common.kafka;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import dev.backstream.common.protocol.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A topic to create: name, partitions, replication and topic-level configs.
 *
 * @param name the topic name
 * @param partitions the partition count, at least 1
 * @param replicationFactor the replica count, in [1, 32767]
 * @param configs topic-level configs such as {@code cleanup.policy}; copied, unmodifiable
 */
public record TopicSpec(String name, int partitions, int replicationFactor, Map<String, String> configs) {

  /** Segment size of every run topic: small, so retention can drop old data soon. */
  static final int SEGMENT_BYTES = 16 * 1024 * 1024;

  /** Size bound of the tensor topics, per partition: four segments. */
  static final long TENSOR_RETENTION_BYTES = 4L * SEGMENT_BYTES;

  /** Time bound of the tensor topics: a step older than this is of no use to anyone. */
  static final long TENSOR_RETENTION_MS = 10 * 60 * 1000L;

  /** Heartbeats are only interesting while a run is live. */
  static final long MEMBERS_RETENTION_MS = 60 * 60 * 1000L;

  /**
   * The settings that keep a topic's data for good, on topics whose data outlives the run
   * (metrics, checkpoints); applied to such topics that already exist too, since a topic that
   * was created without them inherits the broker's retention (10 minutes on our own broker).
   */
  public static final Map<String, String> KEPT = Map.of(
      TopicConfig.RETENTION_MS_CONFIG, "-1",
      TopicConfig.RETENTION_BYTES_CONFIG, "-1");

  /** The replication a run topic asks for when the cluster has brokers enough. */
  public static final int FULL_REPLICATION = 3;

  /**
   * The replication factor a cluster of {@code liveBrokers} brokers can give a run topic.
   *
   * @param liveBrokers the brokers that answer, at least 1
   * @return {@code min(3, liveBrokers)}
   * @throws IllegalArgumentException if {@code liveBrokers} is below 1
   */
  public static int replicationFor(int liveBrokers) {
    if (liveBrokers < 1) {
      throw new IllegalArgumentException("A cluster of " + liveBrokers
          + " live brokers cannot hold a topic: at least 1 is needed");
    }
    return Math.min(FULL_REPLICATION, liveBrokers);
  }

  /**
   * The {@code min.insync.replicas} that goes with a replication factor: 2 from 3 replicas on,
   * so an acknowledged write survives the loss of one broker while one broker may be down;
   * 1 below, where 2 would refuse every write as soon as one replica lags.
   */
  static int minInsyncFor(int replicationFactor) {
    return replicationFactor >= FULL_REPLICATION ? 2 : 1;
  }

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if a count is out of range
   */
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (partitions < 1) {
      throw new IllegalArgumentException("Invalid value " + partitions + " for partitions of "
          + name + ": must be at least 1");
    }
    if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
      throw new IllegalArgumentException("Invalid value " + replicationFactor
          + " for replication factor of " + name + ": must be in [1, " + Short.MAX_VALUE + "]");
    }
    configs = Collections.unmodifiableMap(new TreeMap<>(configs));
  }

  /**
   * Returns the five topics of a run, one partition each.
   *
   * <p>Steps and gradients are bounded by time (10 min) and size (64 MiB): a run at 200
   * steps/s writes about 64 MB/s of parameters, and the model lives in the checkpoint topic,
   * which is compacted instead. Metrics are kept without a time or size bound, so a finished
   * run's history stays readable whatever the broker's {@code log.retention.ms}; checkpoints are
   * compacted and never deleted by time ({@link #KEPT}).
   *
   * @param topics the run's topic names
   * <p>Every topic carries {@code min.insync.replicas} to match its replication factor
   * ({@link #minInsyncFor(int)}).
   *
   * @param topics the run's topic names
   * @param replicationFactor replicas per partition, {@link #replicationFor(int)} of the cluster
   * @return the specs, in {@link Topics#all()} order
   */
  public static List<TopicSpec> forRun(Topics topics, int replicationFactor) {
    String maxMessage = Integer.toString(KafkaSettings.MAX_MESSAGE_BYTES);
    String minInsync = Integer.toString(minInsyncFor(replicationFactor));
    Map<String, String> tensors = Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
        TopicConfig.RETENTION_MS_CONFIG, Long.toString(TENSOR_RETENTION_MS),
        TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(TENSOR_RETENTION_BYTES),
        TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(SEGMENT_BYTES),
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage);
    Map<String, String> members = Map.of(
        TopicConfig.RETENTION_MS_CONFIG, Long.toString(MEMBERS_RETENTION_MS),
        TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(SEGMENT_BYTES),
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage);
    Map<String, String> metrics = Map.of(
        TopicConfig.RETENTION_MS_CONFIG, KEPT.get(TopicConfig.RETENTION_MS_CONFIG),
        TopicConfig.RETENTION_BYTES_CONFIG, KEPT.get(TopicConfig.RETENTION_BYTES_CONFIG),
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage);
    Map<String, String> checkpoints = Map.of(
        TopicConfig.RETENTION_MS_CONFIG, KEPT.get(TopicConfig.RETENTION_MS_CONFIG),
        TopicConfig.RETENTION_BYTES_CONFIG, KEPT.get(TopicConfig.RETENTION_BYTES_CONFIG),
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
        // Compaction never touches the active segment: a small one lets old models go sooner.
        TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(SEGMENT_BYTES),
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage);
    return List.of(
        new TopicSpec(topics.steps(), 1, replicationFactor, with(tensors, minInsync)),
        new TopicSpec(topics.gradients(), 1, replicationFactor, with(tensors, minInsync)),
        new TopicSpec(topics.members(), 1, replicationFactor, with(members, minInsync)),
        new TopicSpec(topics.metrics(), 1, replicationFactor, with(metrics, minInsync)),
        new TopicSpec(topics.checkpoints(), 1, replicationFactor, with(checkpoints, minInsync)));
  }

  private static Map<String, String> with(Map<String, String> configs, String minInsync) {
    Map<String, String> all = new TreeMap<>(configs);
    all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync);
    return all;
  }

  /** Whether this topic keeps its data for good: it carries every {@link #KEPT} setting. */
  public boolean kept() {
    return configs.entrySet().containsAll(KEPT.entrySet());
  }

  /** Returns the admin-client request that creates this topic. */
  public NewTopic toNewTopic() {
    return new NewTopic(name, partitions, (short) replicationFactor).configs(configs);
  }
}
