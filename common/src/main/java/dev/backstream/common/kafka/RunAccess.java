package dev.backstream.common.kafka;

import dev.backstream.common.protocol.Topics;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;

/**
 * What one role of a run reads and writes on the run's topics: what a process of that role checks
 * it may do before it starts ({@link KafkaTopics#ensureRunTopics(KafkaSettings, Topics,
 * java.time.Duration, RunAccess)}), and what a secured broker grants the role.
 *
 * @param role the role's name, as the users file spells it ({@code coordinator}, ...)
 * @param needs the operations, most telling first: a refusal names the first one missing
 */
public record RunAccess(String role, List<Need> needs) {

  /**
   * One operation on one topic.
   *
   * @param operation {@link AclOperation#READ} or {@link AclOperation#WRITE}
   * @param topic the topic's full name
   */
  public record Need(AclOperation operation, String topic) {}

  public RunAccess {
    needs = List.copyOf(needs);
  }

  /**
   * Writes steps, checkpoints and metrics; reads gradients and members, and reads its own steps,
   * checkpoints and metrics back to resume.
   */
  public static RunAccess coordinator(Topics t) {
    return new RunAccess("coordinator", List.of(write(t.steps()), write(t.checkpoints()),
        write(t.metrics()), read(t.gradients()), read(t.members()), read(t.checkpoints()),
        read(t.steps()), read(t.metrics())));
  }

  /**
   * Reads steps, writes gradients and heartbeats; reads metrics, whose run's last epoch line is
   * how it learns that the run is done.
   */
  public static RunAccess worker(Topics t) {
    return new RunAccess("worker", List.of(read(t.steps()), write(t.gradients()),
        write(t.members()), read(t.metrics())));
  }

  /**
   * Reads steps (to follow the open step) and the gradients of its subtree, writes its sums to
   * gradients and heartbeats to members; reads metrics to learn that the run is done.
   */
  public static RunAccess reducer(Topics t) {
    return new RunAccess("reducer", List.of(read(t.gradients()), write(t.gradients()),
        read(t.steps()), write(t.members()), read(t.metrics())));
  }

  /** Reads metrics and checkpoints. */
  public static RunAccess viewer(Topics t) {
    return new RunAccess("viewer", List.of(read(t.metrics()), read(t.checkpoints())));
  }

  /** The topics named by {@link #needs()}, in order, once each. */
  public Set<String> topics() {
    Set<String> topics = new LinkedHashSet<>();
    needs.forEach(n -> topics.add(n.topic()));
    return topics;
  }

  private static Need read(String topic) {
    return new Need(AclOperation.READ, topic);
  }

  private static Need write(String topic) {
    return new Need(AclOperation.WRITE, topic);
  }
}
