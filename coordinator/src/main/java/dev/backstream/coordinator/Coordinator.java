package dev.backstream.coordinator;

import akka.actor.typed.ActorSystem;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.kafka.KafkaUnreachableException;
import dev.backstream.common.kafka.RunAccess;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.internal.CoordinatorKafka;
import dev.backstream.coordinator.internal.CoordinatorSetup;
import dev.backstream.coordinator.internal.ResumePoint;
import dev.backstream.coordinator.internal.StepCoordinator;
import dev.backstream.coordinator.training.DivergedException;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one run over Kafka: creates the run's topics, fences any older coordinator of the run,
 * resumes from the run's newest checkpoint under a new generation, and drives the step actor until
 * the last step has been evaluated.
 */
public final class Coordinator {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

  private Coordinator() {}

  /**
   * Runs the whole training and returns its summary.
   *
   * @param dataset the coordinator's copy of the data: batch indices range over its training set
   *     and every epoch is scored on it
   * @throws KafkaUnreachableException if the broker does not answer within the connect timeout
   * @throws dev.backstream.common.kafka.AccessRefusedException if the broker's ACLs do not let
   *     this client's user do what a coordinator does on the run's topics
   * @throws CoordinatorFencedException if a newer coordinator of the run took over
   * @throws RunConflictException if the run's checkpoint was made with other settings
   * @throws RunFinishedException if the run's newest checkpoint is at its last step
   * @throws RunConflictException also if the run already has other reducer subtrees than
   *     {@code config.reducers()}, or more than shards
   * @throws DivergedException if a step's loss or update is not finite; the last finite step is
   *     checkpointed
   * @throws InterruptedException if the calling thread is interrupted; the run is stopped
   */
  public static TrainingSummary run(
      CoordinatorConfig config, Dataset dataset, TrainingListener listener)
      throws InterruptedException {
    Topics topics = Topics.forRun(config.run());
    int reducers = prepareTopics(config);
    NetShape shape = config.settings().shape(dataset.train().features());
    CompletableFuture<TrainingSummary> result = new CompletableFuture<>();
    try (CoordinatorKafka kafka =
        new CoordinatorKafka(config.kafka(), topics, config.runKey(), reducers,
            config.connectTimeout())) {
      // fence first, then read: a checkpoint an older coordinator commits after this is refused
      kafka.claim(config.kafka().bootstrapServers(), config.connectTimeout());
      Optional<CheckpointFrame> newest =
          Checkpoints.newest(config.kafka(), config.run(), config.runKey(), config.connectTimeout());
      ResumePoint from = ResumePoint.of(config, shape, newest);
      if (newest.isPresent() && from.step() >= config.settings().steps()) {
        // no new generation is claimed: a finished run stays as its last coordinator left it
        throw new RunFinishedException(config.run(), from.step(), from.params().sha256());
      }
      // the claim: a committed checkpoint under the new generation, before any step of it
      if (!kafka.writeCheckpoint(from.checkpoint(config.run(), config.settings()))) {
        if (Thread.interrupted()) {
          // the producer swallows its InterruptException and leaves the flag: a stop, not a fault
          throw new InterruptedException("stopped before the first checkpoint of run '"
              + config.run() + "'");
        }
        throw new IllegalStateException("could not write the first checkpoint of generation "
            + from.generation() + " of run '" + config.run() + "' to Kafka");
      }
      CoordinatorSetup setup =
          new CoordinatorSetup(config.run(), from.generation(), config.settings(), dataset,
              from.params(), from.step(), from.epochSoFar(), listener, kafka, result, config.memberTimeout(),
              config.deadlineFloor(), config.deadlineFactor(), System::nanoTime,
              config.checkpointEvery(), config.evaluations());
      ActorSystem<StepCoordinator.Command> system =
          ActorSystem.create(StepCoordinator.create(setup), "backstream-coordinator");
      kafka.start(system);
      try {
        return result.get();
      } catch (InterruptedException e) {
        system.tell(StepCoordinator.Stop.INSTANCE);
        awaitTermination(system);
        throw e;
      } catch (CancellationException e) {
        throw new InterruptedException("the run was stopped");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof CoordinatorFencedException fenced) {
          throw fenced;
        }
        if (e.getCause() instanceof DivergedException diverged) {
          throw diverged;
        }
        throw new IllegalStateException("the coordinator failed: " + e.getCause(), e.getCause());
      } finally {
        system.terminate();
        awaitTermination(system);
      }
    }
  }

  /**
   * What {@link #run} does first: creates the run's topics where missing, checks that this
   * client's user may do what a coordinator does on them, and gives the gradients topic the
   * config's reducer subtrees. A process that starts reducers before its coordinator calls it
   * first, since a reducer waits for its run to have its subtree; {@code run} then finds the
   * topics as they should be.
   *
   * @return the run's reducer subtrees R
   * @throws KafkaUnreachableException if the broker does not answer within the connect timeout
   * @throws dev.backstream.common.kafka.AccessRefusedException if the broker's ACLs do not let
   *     this client's user do what a coordinator does on the run's topics
   * @throws RunConflictException if the run already has other reducer subtrees than
   *     {@code config.reducers()}, or more than shards
   */
  public static int prepareTopics(CoordinatorConfig config) {
    Topics topics = Topics.forRun(config.run());
    KafkaTopics.ensureRunTopics(config.kafka(), topics, config.connectTimeout(),
        RunAccess.coordinator(topics));
    int reducers;
    try {
      reducers = KafkaTopics.ensureReducerSubtrees(config.kafka(), topics, config.reducers(),
          config.connectTimeout());
    } catch (IllegalStateException e) {
      throw new RunConflictException(e.getMessage());
    }
    if (reducers > config.settings().shards()) {
      throw new RunConflictException("run '" + config.run() + "' has " + reducers + " reducer"
          + " subtrees, more than the " + config.settings().shards() + " shards of --shards");
    }
    return reducers;
  }

  private static void awaitTermination(ActorSystem<?> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("actor system did not stop cleanly: {}", e.toString());
    }
  }
}
