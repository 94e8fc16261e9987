package dev.backstream.coordinator.internal;

import akka.actor.typed.ActorRef;
import dev.backstream.common.kafka.KafkaBridge;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.BadTagException;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.MalformedJsonException;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.training.ReducerSubtrees;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The coordinator's Kafka side: reads gradients and heartbeats, decodes them off the actor and
 * tells the actor what arrived; publishes steps and checkpoints through a {@link FencedPublisher}
 * and metrics through a plain producer.
 */
public final class CoordinatorKafka implements CoordinatorOutput, AutoCloseable {
  private final Topics topics;
  private final RunKey key;
  private final KafkaBridge bridge;
  private final FencedPublisher publisher;

  /**
   * Opens the clients, positioned at the end of heartbeats and of every partition of gradients:
   * the coordinator's own and one per reducer subtree, read while no reducer of it is live.
   *
   * @param reducers the run's reducer subtrees, R ({@code ReducerSubtrees})
   */
  public CoordinatorKafka(KafkaSettings kafka, Topics topics, RunKey key, int reducers,
      Duration timeout) {
    this.topics = topics;
    this.key = key;
    List<TopicPartition> read = new ArrayList<>();
    read.add(new TopicPartition(topics.gradients(), ReducerSubtrees.COORDINATOR_PARTITION));
    for (int r = 0; r < reducers; r++) {
      read.add(new TopicPartition(topics.gradients(), ReducerSubtrees.partitionOfSubtree(r)));
    }
    read.add(new TopicPartition(topics.members(), 0));
    this.bridge = new KafkaBridge(kafka, "backstream-coordinator", read, timeout);
    FencedPublisher p;
    try {
      p = new FencedPublisher(kafka, topics, key, System::nanoTime);
    } catch (RuntimeException e) {
      bridge.close();
      throw e;
    }
    this.publisher = p;
  }

  /**
   * Takes the run over, fencing older coordinators.
   *
   * @throws dev.backstream.common.kafka.KafkaUnreachableException after {@code timeout}
   */
  public void claim(String bootstrap, Duration timeout) {
    publisher.claim(bootstrap, timeout);
  }

  /** Starts feeding {@code actor} until {@link #close()}; a fence stops it. */
  public void start(ActorRef<StepCoordinator.Command> actor) {
    publisher.onFatal(e -> actor.tell(new StepCoordinator.Fenced(e)));
    bridge.start("backstream-coordinator-poller", records -> {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        actor.tell(r.topic().equals(topics.gradients()) ? gradient(r.value()) : heartbeat(r.value()));
      }
    });
  }

  private StepCoordinator.Command gradient(byte[] value) {
    Decoded d = FrameCodec.decode(value, key);
    if (d instanceof Decoded.Gradient g) {
      return new StepCoordinator.GradientArrived(g.frame());
    }
    if (d instanceof Rejected r) {
      return new StepCoordinator.FrameRejected(r.reason(), r.detail());
    }
    return new StepCoordinator.FrameRejected(RejectReason.BAD_KIND,
        "a step or checkpoint frame on the gradients topic");
  }

  private StepCoordinator.Command heartbeat(byte[] value) {
    try {
      return new StepCoordinator.HeartbeatArrived(WorkerHeartbeat.decode(value, key));
    } catch (BadTagException e) {
      // a process without the run key posing as a worker: counted, never on the roster
      return new StepCoordinator.FrameRejected(RejectReason.BAD_TAG,
          "heartbeat with " + e.getMessage());
    } catch (MalformedJsonException e) {
      return new StepCoordinator.FrameRejected(RejectReason.BAD_VALUE, e.getMessage());
    }
  }

  @Override
  public void reducedElsewhere(Set<Integer> subtrees) {
    Set<TopicPartition> paused = new HashSet<>();
    for (int r : subtrees) {
      paused.add(new TopicPartition(topics.gradients(), ReducerSubtrees.partitionOfSubtree(r)));
    }
    bridge.pauseOnly(paused);
  }

  @Override
  public void publishStep(StepFrame frame) {
    publisher.publishStep(frame);
  }

  @Override
  public boolean writeCheckpoint(CheckpointFrame checkpoint) {
    return publisher.writeCheckpoint(checkpoint);
  }

  @Override
  public void tick() {
    publisher.commitIfDue();
  }

  @Override
  public void publishMetrics(MetricsLine record) {
    bridge.send(topics.metrics(), record.toJson().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    bridge.close();
    publisher.close();
  }
}
