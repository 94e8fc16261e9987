package dev.backstream.worker.internal;

import akka.actor.typed.ActorRef;
import dev.backstream.common.kafka.KafkaBridge;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.training.ReducerSubtrees;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.ShardTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process's Kafka side: reads the steps topic, decodes off the actors and passes each
 * poll's steps on in one message; publishes the actors' gradients and the node's heartbeats through
 * one producer (Kafka's producer is thread-safe).
 */
public final class WorkerKafka implements WorkerOutput, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerKafka.class);
  private final Topics topics;
  private final RunKey key;
  private final KafkaBridge bridge;
  private final StepChain chain = new StepChain();
  /** How gradients are routed; null before the first step. */
  private volatile Routing routing;

  /**
   * Opens the clients, positioned at the end of the steps topic: a step published after this
   * returns is seen, so the first heartbeat must come after it.
   */
  public WorkerKafka(KafkaSettings kafka, Topics topics, String workerId, RunKey key,
      Duration timeout) {
    this.topics = topics;
    this.key = key;
    this.bridge = new KafkaBridge(kafka, "backstream-worker-" + workerId,
        List.of(new TopicPartition(topics.steps(), 0)), timeout);
  }

  /** Starts feeding {@code node} until {@link #close()}. */
  public void start(ActorRef<WorkerNode.Command> node) {
    bridge.start("backstream-worker-poller", records -> deliver(records, node));
  }

  private void deliver(ConsumerRecords<byte[], byte[]> records, ActorRef<WorkerNode.Command> node) {
    List<StepFrame> steps = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Decoded d = FrameCodec.decode(r.value(), key);
      if (d instanceof Decoded.Step s) {
        Optional<StepFrame> complete = chain.complete(s.frame());
        if (complete.isEmpty()) {
          LOG.debug("step {} carries changes since a step not read here: waiting for a complete"
              + " frame", s.frame().step());
          continue;
        }
        steps.add(complete.get());
        if (s.frame().run().equals(topics.run())) {
          learnShards(s.frame().spec().shards());
        }
      } else if (d instanceof Rejected bad) {
        node.tell(new WorkerNode.FrameRejected(bad.reason(), bad.detail()));
      } else {
        node.tell(new WorkerNode.FrameRejected(RejectReason.BAD_KIND,
            "a gradient or checkpoint frame on the steps topic"));
      }
    }
    if (!steps.isEmpty()) {
      // every step is checked; only the newest valid one is computed
      node.tell(new WorkerNode.StepsArrived(steps));
    }
  }

  /** Keeps the run's shard count, which the routing of its gradients depends on. */
  private void learnShards(int shards) {
    Routing now = routing;
    if (now == null || now.shards() != shards) {
      routing = new Routing(shards, 1, ReducerSubtrees.of(new ShardTree(shards), 0));
    }
  }

  @Override
  public void publishGradient(GradientFrame frame) {
    bridge.send(topics.gradients(), partitionOf(frame), FrameCodec.encode(frame, key));
  }

  /**
   * The partition of the gradients topic for the frame's node: its reducer subtree's, or the
   * coordinator's ({@link ReducerSubtrees}). S is the shard count of the steps this process
   * reads (a run setting), R the topic's partitions less one as the producer last heard (a cached
   * answer: no broker call per frame).
   */
  private int partitionOf(GradientFrame frame) {
    int partitions = bridge.partitionCount(topics.gradients());
    Routing routing = this.routing;
    if (partitions <= 1 || routing == null) {
      return ReducerSubtrees.COORDINATOR_PARTITION;
    }
    if (routing.partitions() != partitions) {
      routing = new Routing(routing.shards(), partitions, ReducerSubtrees.forPartitions(
          new ShardTree(routing.shards()), partitions));
      // shared by the actors that publish: a lost update only costs building it again
      this.routing = routing;
    }
    return routing.subtrees().partitionOf(new ShardSpan(frame.firstShard(), frame.shardCount()));
  }

  /** The subtrees for S shards and a gradients topic of so many partitions. */
  private record Routing(int shards, int partitions, ReducerSubtrees subtrees) {}

  @Override
  public void publishHeartbeat(WorkerHeartbeat heartbeat) {
    bridge.send(topics.members(), heartbeat.encode(key));
  }

  /** Sends everything queued, then closes. */
  @Override
  public void close() {
    bridge.close();
  }
}
