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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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

  /** Opens the clients, positioned at the end of gradients and heartbeats. */
  public CoordinatorKafka(KafkaSettings kafka, Topics topics, RunKey key, Duration timeout) {
    this.topics = topics;
    this.key = key;
    this.bridge = new KafkaBridge(kafka, "backstream-coordinator", List.of(
        new TopicPartition(topics.gradients(), 0), new TopicPartition(topics.members(), 0)),
        timeout);
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
